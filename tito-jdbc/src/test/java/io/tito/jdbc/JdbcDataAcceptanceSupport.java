package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.data.DataAcceptanceTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the data acceptance kit against a fresh store (new tables) per test on a shared local
 * server; every table is dropped after the class (TestDatabases.FreshStores).
 */
abstract class JdbcDataAcceptanceSupport extends DataAcceptanceTest {

  @RegisterExtension
  static final TestDatabases.FreshStores STORES = new TestDatabases.FreshStores();

  abstract SqlDialect dialect();

  @Override
  protected Engine createEngine() {
    return STORES.open(dialect());
  }
}
