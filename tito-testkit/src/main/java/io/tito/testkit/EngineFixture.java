package io.tito.testkit;

import io.tito.spi.Engine;

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
}
