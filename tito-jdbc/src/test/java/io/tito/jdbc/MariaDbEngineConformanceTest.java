package io.tito.jdbc;

/** The whole engine conformance kit on the local MariaDB server. */
class MariaDbEngineConformanceTest extends JdbcConformanceSupport {
  @Override
  SqlDialect dialect() {
    return SqlDialect.MARIADB;
  }
}
