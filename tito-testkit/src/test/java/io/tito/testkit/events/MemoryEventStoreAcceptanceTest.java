package io.tito.testkit.events;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;

/** The event-store acceptance kit on the memory engine (commit stamps). */
class MemoryEventStoreAcceptanceTest extends EventStoreAcceptanceTest {
  @Override
  protected Engine createEngine() {
    return new MemoryEngine();
  }
}
