package io.tito.jdbc;

/** The data acceptance kit on the local PostgreSQL server. */
class PostgresDataAcceptanceTest extends JdbcDataAcceptanceSupport {
  @Override
  SqlDialect dialect() {
    return SqlDialect.POSTGRESQL;
  }
}
