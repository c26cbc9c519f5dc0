package io.tito.testkit;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;
import io.tito.testkit.FaultPoints.Point;
import java.util.Optional;
import java.util.Set;

/** Runs the conformance kit on the in-memory engine, with its commit lock as a fault point. */
class MemoryEngineConformanceTest extends EngineConformanceTest {

  private FaultSwitchboard faults;

  @Override
  protected Engine createEngine() {
    MemoryEngine engine = new MemoryEngine();
    FaultSwitchboard board = new FaultSwitchboard(Set.of(Point.COMMIT_LOCK));
    engine.onCommitApplied(() -> board.reached(Point.COMMIT_LOCK));
    faults = board;
    return engine;
  }

  @Override
  public Optional<FaultPoints> faults() {
    return Optional.of(faults);
  }
}
