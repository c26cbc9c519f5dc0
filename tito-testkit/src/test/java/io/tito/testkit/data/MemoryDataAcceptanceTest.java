package io.tito.testkit.data;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;

/** The data acceptance kit on the memory engine. */
class MemoryDataAcceptanceTest extends DataAcceptanceTest {
  @Override
  protected Engine createEngine() {
    return new MemoryEngine();
  }
}
