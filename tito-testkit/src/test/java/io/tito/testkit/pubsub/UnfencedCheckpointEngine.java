package io.tito.testkit.pubsub;

import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngineTransaction;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fault: a missing fencing check. A transaction that advances a checkpoint (writes a group's
 * partition state but no lease) commits its other writes, the handler's effects, without the
 * state, and only then writes the state in a transaction of its own, merged into the state
 * stored then (the checkpoint never goes back, the epoch stays the current owner's). The epoch in
 * the state, which the new owner of a lease bumps, no longer makes the old owner's late commit
 * conflict: a worker that lost its lease still commits progress. Taking a lease (a transaction
 * that writes one) is left whole.
 */
final class UnfencedCheckpointEngine extends FaultInjectingEngine {

  UnfencedCheckpointEngine(Engine delegate, boolean on) {
    super(delegate, on);
  }

  @Override
  public String name() {
    return "unfenced-checkpoint";
  }

  @Override
  EngineTransaction wrap(EngineTransaction tx) {
    return new ForwardingEngineTransaction(tx) {
      private final Map<byte[], byte[]> states = newKeyMap();
      private boolean takesLease;

      @Override
      public byte[] get(byte[] key) {
        byte[] own = states.get(key);
        return own != null ? own : delegate().get(key);
      }

      @Override
      public void set(byte[] key, byte[] value) {
        if (isGroupState(key)) {
          states.put(key, value);
          return;
        }
        if (isLease(key)) {
          takesLease = true;
        }
        delegate().set(key, value);
      }

      @Override
      public void commit() {
        if (takesLease || states.isEmpty()) {
          states.forEach(delegate()::set);
          delegate().commit();
          return;
        }
        delegate().commit();
        injected();
        writeApart(states, UnfencedCheckpointEngine::merge);
      }
    };
  }

  private static byte[] merge(byte[] stored, byte[] written) {
    if (stored == null) {
      return written;
    }
    Tuple s = Tuple.unpack(stored);
    Tuple w = Tuple.unpack(written);
    List<Object> items = new ArrayList<>(w.items());
    items.set(0, Math.max(s.getLong(0), w.getLong(0)));
    items.set(2, s.get(2));
    return Tuple.fromList(items).pack();
  }
}
