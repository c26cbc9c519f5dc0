package io.tito.testkit.pubsub;

import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngineTransaction;

/**
 * Fault: advancing past a failed event without dead-lettering it. Writes of dead letters are
 * dropped while the rest of the transaction, the checkpoint moving past the event, commits.
 */
final class DroppedDeadLetterEngine extends FaultInjectingEngine {

  DroppedDeadLetterEngine(Engine delegate, boolean on) {
    super(delegate, on);
  }

  @Override
  public String name() {
    return "dropped-dead-letter";
  }

  @Override
  EngineTransaction wrap(EngineTransaction tx) {
    return new ForwardingEngineTransaction(tx) {
      @Override
      public void set(byte[] key, byte[] value) {
        if (isDeadLetter(key)) {
          injected();
          return;
        }
        delegate().set(key, value);
      }
    };
  }
}
