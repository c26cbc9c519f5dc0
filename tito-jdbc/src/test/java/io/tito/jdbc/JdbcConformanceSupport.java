package io.tito.jdbc;

import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.testkit.FaultPoints;
import io.tito.testkit.FaultPoints.Point;
import io.tito.testkit.FaultSwitchboard;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import io.tito.testkit.EngineConformanceTest;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the conformance kit against a fresh store (new tables) per test on a shared local server;
 * every table is dropped after the class (TestDatabases.FreshStores). Declares the {@link Point#COMMIT_CHECKED} pause point
 * where commits run in parallel.
 */
abstract class JdbcConformanceSupport extends EngineConformanceTest {

  @RegisterExtension
  static final TestDatabases.FreshStores STORES = new TestDatabases.FreshStores();
  private final Map<Engine, String> tables = new IdentityHashMap<>();
  private FaultSwitchboard faults;

  abstract SqlDialect dialect();

  /** The options of every engine this class opens (a subclass may change the URL). */
  JdbcEngineOptions.Builder options() {
    return TestDatabases.options(dialect());
  }

  @Override
  protected Engine createEngine() {
    return open(STORES.newTable(dialect()));
  }

  @Override
  protected Engine reopenEngine(Engine closed) {
    String table = tables.remove(closed);
    if (table == null) {
      throw new IllegalStateException("not an engine of this test: " + closed);
    }
    return open(table);
  }

  private Engine open(String table) {
    JdbcEngine engine = JdbcEngine.open(options().table(table).build());
    tables.put(engine, table);
    FaultSwitchboard board = new FaultSwitchboard(
        engine.capabilities().contains(Capability.PARALLEL_COMMITS) ? EnumSet.of(Point.COMMIT_CHECKED) : Set.of());
    engine.onCommitChecked(() -> board.reached(Point.COMMIT_CHECKED),
        () -> board.armed(Point.COMMIT_CHECKED));
    faults = board;
    return engine;
  }

  /** The pause point inside parallel commits (PostgreSQL), none elsewhere. */
  @Override
  public Optional<FaultPoints> faults() {
    return Optional.of(faults);
  }

  /** Collects every tombstone and range-clear record now, whatever their age. */
  @Override
  public void runMaintenance() {
    try {
      ((JdbcEngine) engine()).collectTombstonesIgnoringAge();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("tombstone collection failed", e);
    }
  }
}
