package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.pubsub.DeliveryHistoryTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The delivery history test on the local MariaDB server, in fresh tables dropped afterwards. */
class MariaDbDeliveryHistoryTest extends DeliveryHistoryTest {

  @RegisterExtension
  static final TestDatabases.FreshStores STORES = new TestDatabases.FreshStores();
  private String table;

  @Override
  protected Engine createEngine() {
    table = STORES.newTable(SqlDialect.MARIADB);
    return JdbcEngine.open(TestDatabases.options(SqlDialect.MARIADB).table(table).build());
  }
}
