package io.tito.testkit.pubsub;

import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngineTransaction;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault: every {@code n}-th write of a group's partition state that advances a checkpoint stores
 * one position further than asked, as a consumer with an off-by-one checkpoint would. The event at
 * the skipped position is then never delivered to that group.
 */
final class SkippingCheckpointEngine extends FaultInjectingEngine {

  private final int every;
  private final AtomicInteger writes = new AtomicInteger();

  SkippingCheckpointEngine(Engine delegate, boolean on, int every) {
    super(delegate, on);
    this.every = every;
  }

  @Override
  public String name() {
    return "skipping-checkpoint";
  }

  @Override
  EngineTransaction wrap(EngineTransaction tx) {
    return new ForwardingEngineTransaction(tx) {
      @Override
      public void set(byte[] key, byte[] value) {
        delegate().set(key, isGroupState(key) ? corrupt(value) : value);
      }
    };
  }

  private byte[] corrupt(byte[] value) {
    Tuple v = Tuple.unpack(value);
    long checkpoint = v.getLong(0);
    if (checkpoint == 0 || writes.incrementAndGet() % every != 0) {
      return value;
    }
    injected();
    List<Object> items = new ArrayList<>(v.items());
    items.set(0, checkpoint + 1);
    return Tuple.fromList(items).pack();
  }
}
