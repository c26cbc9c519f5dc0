package io.tito.jdbc;

import io.tito.spi.Engine;

/** One throwaway store (fresh tables) at a time for the data property kits. */
final class JdbcDataStores {

  private final SqlDialect dialect;
  private String table;

  JdbcDataStores(SqlDialect dialect) {
    this.dialect = dialect;
  }

  Engine open() {
    table = TestDatabases.freshTable();
    return JdbcEngine.open(TestDatabases.options(dialect).table(table).build());
  }

  void drop() {
    if (table != null) {
      TestDatabases.dropStore(dialect, table);
      table = null;
    }
  }
}
