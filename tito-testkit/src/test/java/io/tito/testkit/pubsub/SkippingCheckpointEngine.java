package io.tito.testkit.pubsub;

import io.tito.memory.MemoryEngine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately broken store for the checker's self-test: every {@code n}-th write of a
 * group's partition state ({@code ("g", topic, group, partition)}) that advances a checkpoint
 * stores one position further than asked, as a consumer with an off-by-one checkpoint would. The
 * event at the skipped position is then never delivered to that group.
 */
final class SkippingCheckpointEngine extends ForwardingEngine {

  private final Subspace root = new Subspace(Tuple.of("tito"));
  private final int every;
  private final AtomicInteger writes = new AtomicInteger();

  SkippingCheckpointEngine(int every) {
    super(new MemoryEngine());
    this.every = every;
  }

  @Override
  public String name() {
    return "skipping-checkpoint";
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    return new ForwardingEngineTransaction(delegate().begin(readOnly)) {
      @Override
      public void set(byte[] key, byte[] value) {
        delegate().set(key, corrupt(key, value));
      }
    };
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
}
