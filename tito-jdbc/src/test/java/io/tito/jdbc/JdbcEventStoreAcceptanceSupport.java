package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.events.EventStoreAcceptanceTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the event-store acceptance kit against a fresh store (new tables) per test on a shared
 * local server; every table is dropped after the class (TestDatabases.FreshStores).
 */
abstract class JdbcEventStoreAcceptanceSupport extends EventStoreAcceptanceTest {

  @RegisterExtension
  static final TestDatabases.FreshStores STORES = new TestDatabases.FreshStores();

  abstract SqlDialect dialect();

  private io.tito.testkit.FaultSwitchboard faults;

  @Override
  protected Engine createEngine() {
    Engine engine = STORES.open(dialect());
    boolean parallel = engine.capabilities().contains(io.tito.spi.Capability.PARALLEL_COMMITS);
    io.tito.testkit.FaultSwitchboard board = new io.tito.testkit.FaultSwitchboard(parallel
        ? java.util.EnumSet.of(io.tito.testkit.FaultPoints.Point.COMMIT_CHECKED) : java.util.Set.of());
    if (engine instanceof JdbcEngine jdbc) {
      jdbc.onCommitChecked(() -> board.reached(io.tito.testkit.FaultPoints.Point.COMMIT_CHECKED),
        () -> board.armed(io.tito.testkit.FaultPoints.Point.COMMIT_CHECKED));
    }
    faults = board;
    return engine;
  }

  /** The pause point inside parallel commits (PostgreSQL), none elsewhere. */
  @Override
  public java.util.Optional<io.tito.testkit.FaultPoints> faults() {
    return java.util.Optional.of(faults);
  }
}
