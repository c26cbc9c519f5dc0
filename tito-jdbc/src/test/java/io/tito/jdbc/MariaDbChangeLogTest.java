package io.tito.jdbc;

class MariaDbChangeLogTest extends JdbcChangeLogTest {
  @Override
  SqlDialect dialect() {
    return SqlDialect.MARIADB;
  }
}
