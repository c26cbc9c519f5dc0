package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.pubsub.DeliveryHistoryTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The delivery history test on the local PostgreSQL server, in fresh tables dropped afterwards. */
class PostgresDeliveryHistoryTest extends DeliveryHistoryTest {

  @RegisterExtension
  static final TestDatabases.FreshStores STORES = new TestDatabases.FreshStores();
  private String table;

  @Override
  protected Engine createEngine() {
    table = STORES.newTable(SqlDialect.POSTGRESQL);
    return JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table).build());
  }

  @Override
  protected Engine openSameStore(Engine first) {
    return JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table).build());
  }
}
