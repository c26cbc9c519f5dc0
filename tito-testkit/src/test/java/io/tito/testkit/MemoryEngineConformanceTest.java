package io.tito.testkit;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;

/** Runs the conformance kit on the in-memory engine. */
class MemoryEngineConformanceTest extends EngineConformanceTest {

  @Override
  protected Engine createEngine() {
    return new MemoryEngine();
  }
}
