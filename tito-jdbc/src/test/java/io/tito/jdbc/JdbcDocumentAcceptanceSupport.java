package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.docs.DocumentAcceptanceTest;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;

/**
 * Runs the document-store acceptance kit against a fresh store (new tables) per test on a shared
 * local server; every table is dropped after the class.
 */
abstract class JdbcDocumentAcceptanceSupport extends DocumentAcceptanceTest {

  private static final Queue<Object[]> CREATED = new ConcurrentLinkedQueue<>();

  abstract SqlDialect dialect();

  @Override
  protected Engine createEngine() {
    String table = TestDatabases.freshTable();
    CREATED.add(new Object[] {dialect(), table});
    return JdbcEngine.open(TestDatabases.options(dialect()).table(table).build());
  }

  @AfterAll
  static void dropTables() {
    Object[] t;
    while ((t = CREATED.poll()) != null) {
      TestDatabases.dropStore((SqlDialect) t[0], (String) t[1]);
    }
  }
}
