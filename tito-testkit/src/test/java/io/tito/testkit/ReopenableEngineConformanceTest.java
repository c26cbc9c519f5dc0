package io.tito.testkit;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;
import java.util.Set;

/**
 * Runs the whole kit, durability included, on a memory store behind a wrapper that can be closed
 * and reopened: the kit's tests can pass on a correct engine, reopen included.
 */
class ReopenableEngineConformanceTest extends EngineConformanceTest {

  @Override
  protected Engine createEngine() {
    return new WrappedEngine(new MemoryEngine(), Set.of());
  }

  @Override
  protected Engine reopenEngine(Engine closed) {
    return ((WrappedEngine) closed).reopened();
  }
}
