package io.tito.internal;

import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.RangeRead;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.InvalidArgumentException;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The user-facing transaction: an engine transaction plus after-commit actions. */
public final class DefaultTransaction implements Transaction {

  private static final Logger log = LoggerFactory.getLogger(DefaultTransaction.class);

  private final EngineTransaction engineTx;
  private final boolean mayGuessReads;
  private List<Runnable> afterCommit;

  public DefaultTransaction(EngineTransaction engineTx) {
    this(engineTx, false);
  }

  /** @param mayGuessReads see {@link Transaction#mayGuessReads} (the runner decides) */
  public DefaultTransaction(EngineTransaction engineTx, boolean mayGuessReads) {
    this.engineTx = engineTx;
    this.mayGuessReads = mayGuessReads;
  }

  @Override
  public boolean mayGuessReads() {
    return mayGuessReads;
  }

  /** The engine transaction underneath, for Tito's own layers. */
  public EngineTransaction engineTransaction() {
    return engineTx;
  }

  @Override
  public void notifyOnCommit(String channel, String payload) {
    requireNonNull(channel, "channel");
    engineTx.notifyOnCommit(channel, payload);
  }

  @Override
  public byte[] get(byte[] key) {
    return engineTx.get(key);
  }

  @Override
  public byte[] getExpectingAbsent(byte[] key) {
    return engineTx.getExpectingAbsent(key);
  }

  @Override
  public void expect(byte[] key, byte[] expected) {
    engineTx.expect(key, expected);
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    requireNonNull(keys, "keys");
    return engineTx.getAll(keys);
  }

  @Override
  public List<byte[]> getAllExpectingAbsent(List<byte[]> keys, int usuallyAbsent) {
    requireNonNull(keys, "keys");
    return engineTx.getAllExpectingAbsent(keys, usuallyAbsent);
  }

  @Override
  public KeyValueCursor scan(KeyRange range, ScanOptions options) {
    requireNonNull(range, "range");
    requireNonNull(options, "options");
    return engineTx.scan(range.begin(), range.end(), options);
  }

  @Override
  public List<List<KeyValue>> scanAll(List<RangeRead> reads) {
    RangeRead.checkAll(reads);
    return engineTx.scanAll(reads);
  }

  @Override
  public void set(byte[] key, byte[] value) {
    engineTx.set(key, value);
  }

  @Override
  public int setStamped(byte[] prefix, byte[] value) {
    requireNonNull(prefix, "prefix");
    requireNonNull(value, "value");
    return engineTx.setStamped(prefix, value);
  }

  @Override
  public int setStamped(byte[] prefix, byte[] value, int orders) {
    requireNonNull(prefix, "prefix");
    requireNonNull(value, "value");
    return engineTx.setStamped(prefix, value, orders);
  }

  @Override
  public long commitVersion() {
    return engineTx.commitVersion();
  }

  @Override
  public io.tito.Stamp committedStamp(int order) {
    return engineTx.committedStamp(order);
  }

  @Override
  public io.tito.Stamp stampHorizon() {
    return engineTx.stampHorizon();
  }

  @Override
  public int appendSequenced(byte[] counterKey, byte[] prefix, byte[] value) {
    requireNonNull(counterKey, "counterKey");
    requireNonNull(prefix, "prefix");
    requireNonNull(value, "value");
    return engineTx.appendSequenced(counterKey, prefix, value);
  }

  @Override
  public long sequenceStart(byte[] counterKey) {
    requireNonNull(counterKey, "counterKey");
    return engineTx.sequenceStart(counterKey);
  }

  @Override
  public void clear(byte[] key) {
    engineTx.clear(key);
  }

  @Override
  public void clearRange(KeyRange range) {
    requireNonNull(range, "range");
    engineTx.clearRange(range.begin(), range.end());
  }

  @Override
  public <R> R savepoint(Supplier<R> body) {
    requireNonNull(body, "body");
    if (engineTx.isReadOnly()) {
      return body.get();
    }
    int actions = afterCommit == null ? 0 : afterCommit.size();
    Object savepoint = engineTx.savepoint();
    R result;
    try {
      result = body.get();
    } catch (RuntimeException | Error e) {
      engineTx.rollbackToSavepoint(savepoint);
      if (afterCommit != null) {
        afterCommit.subList(actions, afterCommit.size()).clear();
      }
      throw e;
    }
    engineTx.releaseSavepoint(savepoint);
    return result;
  }

  @Override
  public boolean isReadOnly() {
    return engineTx.isReadOnly();
  }

  @Override
  public void afterCommit(Runnable action) {
    requireNonNull(action, "action");
    if (afterCommit == null) {
      afterCommit = new ArrayList<>(2);
    }
    afterCommit.add(action);
  }

  /** Runs the after-commit actions; each failure is logged and does not stop the others. */
  void runAfterCommit() {
    if (afterCommit == null) {
      return;
    }
    for (Runnable action : afterCommit) {
      try {
        action.run();
      } catch (RuntimeException e) {
        log.warn("after-commit action failed", e);
      }
    }
  }

  private static void requireNonNull(Object value, String name) {
    if (value == null) {
      throw new InvalidArgumentException("argument must not be null", Map.of("argument", name));
    }
  }
}
