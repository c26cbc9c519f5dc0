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

  @Override
  protected Engine createEngine() {
    return STORES.open(dialect());
  }
}
