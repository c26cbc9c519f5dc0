package io.tito.testkit.pubsub;

import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.memory.MemoryEngine;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately broken store for the checker's self-test: every {@code n}-th write of a
 * group's partition state ({@code ("g", topic, group, partition)}) that advances a checkpoint
 * stores one position further than asked, as a consumer with an off-by-one checkpoint would. The
 * event at the skipped position is then never delivered to that group.
 */
final class SkippingCheckpointEngine implements Engine {

  private final Engine store = new MemoryEngine();
  private final Subspace root = new Subspace(Tuple.of("tito"));
  private final int every;
  private final AtomicInteger writes = new AtomicInteger();

  SkippingCheckpointEngine(int every) {
    this.every = every;
  }

  @Override
  public String name() {
    return "skipping-checkpoint";
  }

  @Override
  public Set<Capability> capabilities() {
    return store.capabilities();
  }

  @Override
  public EngineLimits limits() {
    return store.limits();
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    return new Tx(store.begin(readOnly));
  }

  @Override
  public AutoCloseable listen(String channel, Runnable listener) {
    return store.listen(channel, listener);
  }

  @Override
  public void close() {
    store.close();
  }

  private byte[] corrupt(byte[] key, byte[] value) {
    if (!root.contains(key)) {
      return value;
    }
    Tuple k = root.unpack(key);
    if (k.size() != 4 || !"g".equals(k.get(0))) {
      return value;
    }
    Tuple v = Tuple.unpack(value);
    long checkpoint = v.getLong(0);
    if (checkpoint == 0 || writes.incrementAndGet() % every != 0) {
      return value;
    }
    java.util.List<Object> items = new java.util.ArrayList<>(v.items());
    items.set(0, checkpoint + 1);
    return Tuple.fromList(items).pack();
  }

  private final class Tx implements EngineTransaction {
    private final EngineTransaction tx;

    Tx(EngineTransaction tx) {
      this.tx = tx;
    }

    @Override
    public byte[] get(byte[] key) {
      return tx.get(key);
    }

    @Override
    public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
      return tx.scan(begin, end, options);
    }

    @Override
    public void set(byte[] key, byte[] value) {
      tx.set(key, corrupt(key, value));
    }

    @Override
    public void clear(byte[] key) {
      tx.clear(key);
    }

    @Override
    public void clearRange(byte[] begin, byte[] end) {
      tx.clearRange(begin, end);
    }

    @Override
    public void notifyOnCommit(String channel) {
      tx.notifyOnCommit(channel);
    }

    @Override
    public boolean isReadOnly() {
      return tx.isReadOnly();
    }

    @Override
    public void commit() {
      tx.commit();
    }

    @Override
    public void rollback() {
      tx.rollback();
    }

    @Override
    public void close() {
      tx.close();
    }
  }
}
