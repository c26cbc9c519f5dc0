package io.tito.jdbc;

/** The whole engine conformance kit on the local PostgreSQL server. */
class PostgresEngineConformanceTest extends JdbcConformanceSupport {
  @Override
  SqlDialect dialect() {
    return SqlDialect.POSTGRESQL;
  }
}
