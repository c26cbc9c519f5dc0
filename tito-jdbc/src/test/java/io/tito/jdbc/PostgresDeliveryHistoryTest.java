package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.pubsub.DeliveryHistoryTest;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;

/** The delivery history test on the local PostgreSQL server, in fresh tables dropped afterwards. */
class PostgresDeliveryHistoryTest extends DeliveryHistoryTest {

  private static final Queue<String> TABLES = new ConcurrentLinkedQueue<>();
  private String table;

  @Override
  protected Engine createEngine() {
    table = TestDatabases.freshTable();
    TABLES.add(table);
    return JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table).build());
  }

  @Override
  protected Engine openSameStore(Engine first) {
    return JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table).build());
  }

  @AfterAll
  static void dropTables() {
    String t;
    while ((t = TABLES.poll()) != null) {
      TestDatabases.dropStore(SqlDialect.POSTGRESQL, t);
    }
  }
}
