package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.docs.DocumentAcceptanceTest;
import org.junit.jupiter.api.AfterAll;

/**
 * Runs the document-store acceptance kit against a fresh store (new tables) per test on a shared
 * local server; every table is dropped after the class.
 */
abstract class JdbcDocumentAcceptanceSupport extends DocumentAcceptanceTest {

  private static final TestDatabases.FreshStores STORES = new TestDatabases.FreshStores();

  abstract SqlDialect dialect();

  @Override
  protected Engine createEngine() {
    return STORES.open(dialect());
  }

  @AfterAll
  static void dropTables() {
    STORES.dropAll();
  }
}
