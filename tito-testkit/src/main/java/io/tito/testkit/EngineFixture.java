package io.tito.testkit;

import io.tito.spi.Engine;
import java.util.Optional;

/**
 * What every contract needs: the engine under test. {@link EngineConformanceTest} implements it;
 * an engine module never implements it directly.
 */
public interface EngineFixture {

  /** The engine of the running test: new and empty when the test starts, closed after it. */
  Engine engine();

  /**
   * Closes the current engine, reopens the store behind it and makes the reopened engine current
   * (the kit closes it after the test). Aborts the running test, which is then reported as
   * skipped, if the engine cannot be reopened.
   *
   * @return the reopened engine, the same as {@link #engine()} afterwards
   */
  Engine reopen();

  /**
   * Runs the engine's background maintenance now (tombstone collection, pruning of conflict
   * history, compaction: whatever the engine does behind the caller's back), treating everything
   * committed so far as old enough to clean up, and returns when the pass is over. Transactions
   * open across the call may lose conflict detection against what was cleaned; contracts only
   * race it against transactions whose snapshots already contain the cleaned-up writes. Used by
   * {@link MaintenanceContract}. Default: nothing (an engine without background maintenance).
   */
  default void runMaintenance() {}

  /**
   * The fault points of the current engine ({@link EngineFaultContract}), or empty if the engine
   * declares none: then those tests are skipped. An engine's conformance test overrides this to
   * return the {@link FaultSwitchboard} it wired into the engine it created. Default: empty.
   */
  default Optional<FaultPoints> faults() {
    return Optional.empty();
  }
}
