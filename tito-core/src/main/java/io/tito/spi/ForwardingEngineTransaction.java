package io.tito.spi;

import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import java.util.List;

/**
 * A transaction that passes every call to another one: extend it to decorate a transaction by
 * overriding only the calls that change. A decorator that rewrites keys must override every call
 * that takes one, including {@link #setStamped}, {@link #appendSequenced} and {@link
 * #sequenceStart}. {@link #scanAll} is not passed on: it reads through this transaction's {@link
 * #scan}, so a decorator that rewrites keys stays right without overriding it; one that keeps
 * keys as they are may pass it on, to keep an engine's batched reads. Not thread-safe, like every
 * transaction.
 */
public abstract class ForwardingEngineTransaction implements EngineTransaction {

  private final EngineTransaction delegate;

  protected ForwardingEngineTransaction(EngineTransaction delegate) {
    this.delegate = delegate;
  }

  /** The transaction calls are passed to. */
  protected final EngineTransaction delegate() {
    return delegate;
  }

  @Override
  public byte[] get(byte[] key) {
    return delegate.get(key);
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    return delegate.getAll(keys);
  }

  @Override
  public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
    return delegate.scan(begin, end, options);
  }

  @Override
  public void set(byte[] key, byte[] value) {
    delegate.set(key, value);
  }

  @Override
  public void clear(byte[] key) {
    delegate.clear(key);
  }

  @Override
  public void clearRange(byte[] begin, byte[] end) {
    delegate.clearRange(begin, end);
  }

  @Override
  public void notifyOnCommit(String channel, String payload) {
    delegate.notifyOnCommit(channel, payload);
  }

  @Override
  public Object savepoint() {
    return delegate.savepoint();
  }

  @Override
  public int setStamped(byte[] prefix, byte[] value) {
    return delegate.setStamped(prefix, value);
  }

  @Override
  public int setStamped(byte[] prefix, byte[] value, int orders) {
    return delegate.setStamped(prefix, value, orders);
  }

  @Override
  public long commitVersion() {
    return delegate.commitVersion();
  }

  @Override
  public io.tito.Stamp committedStamp(int order) {
    return delegate.committedStamp(order);
  }

  @Override
  public io.tito.Stamp stampHorizon() {
    return delegate.stampHorizon();
  }

  @Override
  public int appendSequenced(byte[] counterKey, byte[] prefix, byte[] value) {
    return delegate.appendSequenced(counterKey, prefix, value);
  }

  @Override
  public long sequenceStart(byte[] counterKey) {
    return delegate.sequenceStart(counterKey);
  }

  @Override
  public void relaxDurability() {
    delegate.relaxDurability();
  }

  @Override
  public void rollbackToSavepoint(Object savepoint) {
    delegate.rollbackToSavepoint(savepoint);
  }

  @Override
  public void releaseSavepoint(Object savepoint) {
    delegate.releaseSavepoint(savepoint);
  }

  @Override
  public boolean isReadOnly() {
    return delegate.isReadOnly();
  }

  @Override
  public void commit() {
    delegate.commit();
  }

  @Override
  public void rollback() {
    delegate.rollback();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
