package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.EngineConformanceTest;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;

/**
 * Runs the conformance kit against a fresh store (new tables) per test on a shared local server;
 * every table is dropped after the class.
 */
abstract class JdbcConformanceSupport extends EngineConformanceTest {

  private static final Queue<Object[]> CREATED = new ConcurrentLinkedQueue<>();
  private final Map<Engine, String> tables = new IdentityHashMap<>();

  abstract SqlDialect dialect();

  @Override
  protected Engine createEngine() {
    return open(TestDatabases.freshTable());
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
    CREATED.add(new Object[] {dialect(), table});
    JdbcEngine engine = JdbcEngine.open(TestDatabases.options(dialect()).table(table).build());
    tables.put(engine, table);
    return engine;
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

  @AfterAll
  static void dropTables() {
    Object[] t;
    while ((t = CREATED.poll()) != null) {
      TestDatabases.dropStore((SqlDialect) t[0], (String) t[1]);
    }
  }
}
