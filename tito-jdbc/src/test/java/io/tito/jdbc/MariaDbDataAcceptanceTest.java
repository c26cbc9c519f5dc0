package io.tito.jdbc;

/** The data acceptance kit on the local MariaDB server. */
class MariaDbDataAcceptanceTest extends JdbcDataAcceptanceSupport {
  @Override
  SqlDialect dialect() {
    return SqlDialect.MARIADB;
  }
}
