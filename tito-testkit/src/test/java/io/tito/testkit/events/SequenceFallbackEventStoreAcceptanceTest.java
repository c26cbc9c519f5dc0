package io.tito.testkit.events;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.spi.ForwardingEngine;
import java.util.EnumSet;
import java.util.Set;

/**
 * The event-store acceptance kit on the fallback global sequence key: the memory engine with
 * {@link Capability#COMMIT_ORDERED_KEYS} hidden, as an engine without it declares.
 */
class SequenceFallbackEventStoreAcceptanceTest extends EventStoreAcceptanceTest {
  @Override
  protected Engine createEngine() {
    return new ForwardingEngine(new MemoryEngine()) {
      @Override
      public Set<Capability> capabilities() {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        caps.addAll(delegate().capabilities());
        caps.remove(Capability.COMMIT_ORDERED_KEYS);
        return caps;
      }
    };
  }
}
