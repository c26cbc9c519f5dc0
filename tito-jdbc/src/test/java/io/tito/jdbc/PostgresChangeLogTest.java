package io.tito.jdbc;

class PostgresChangeLogTest extends JdbcChangeLogTest {
  @Override
  SqlDialect dialect() {
    return SqlDialect.POSTGRESQL;
  }
}
