package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.data.IndexConsistencyProperties;
import io.tito.testkit.data.PagingProperties;
import net.jqwik.api.PropertyDefaults;

/**
 * The data properties on the local PostgreSQL and MariaDB servers, a fresh store (new tables) per
 * try, dropped after it. Few tries (each creates and drops tables): 100 per property and server.
 */
class JdbcDataPropertiesTest {

  private static Engine open(SqlDialect dialect, String[] table) {
    table[0] = TestDatabases.freshTable();
    return JdbcEngine.open(TestDatabases.options(dialect).table(table[0]).build());
  }

  @PropertyDefaults(tries = 100)
  static class PostgresIndexConsistency extends IndexConsistencyProperties {
    private final String[] table = new String[1];

    @Override
    protected Engine createEngine() {
      return open(SqlDialect.POSTGRESQL, table);
    }

    @Override
    protected void afterTry() {
      TestDatabases.dropStore(SqlDialect.POSTGRESQL, table[0]);
    }
  }

  @PropertyDefaults(tries = 100)
  static class PostgresPaging extends PagingProperties {
    private final String[] table = new String[1];

    @Override
    protected Engine createEngine() {
      return open(SqlDialect.POSTGRESQL, table);
    }

    @Override
    protected void afterTry() {
      TestDatabases.dropStore(SqlDialect.POSTGRESQL, table[0]);
    }
  }

  @PropertyDefaults(tries = 100)
  static class MariaDbIndexConsistency extends IndexConsistencyProperties {
    private final String[] table = new String[1];

    @Override
    protected Engine createEngine() {
      return open(SqlDialect.MARIADB, table);
    }

    @Override
    protected void afterTry() {
      TestDatabases.dropStore(SqlDialect.MARIADB, table[0]);
    }
  }

  @PropertyDefaults(tries = 100)
  static class MariaDbPaging extends PagingProperties {
    private final String[] table = new String[1];

    @Override
    protected Engine createEngine() {
      return open(SqlDialect.MARIADB, table);
    }

    @Override
    protected void afterTry() {
      TestDatabases.dropStore(SqlDialect.MARIADB, table[0]);
    }
  }
}
