package io.tito.jdbc;

/**
 * The whole engine conformance kit on the local MariaDB server through connections that take one
 * statement per query ({@code allowMultiQueries=false}): every commit then sends one statement
 * per round trip, the protocol a supplied data source without multi-statement queries gets.
 */
class MariaDbOneStatementConformanceTest extends JdbcConformanceSupport {
  @Override
  SqlDialect dialect() {
    return SqlDialect.MARIADB;
  }

  @Override
  JdbcEngineOptions.Builder options() {
    JdbcEngineOptions o = TestDatabases.options(SqlDialect.MARIADB).build();
    String url = o.jdbcUrl() + (o.jdbcUrl().contains("?") ? "&" : "?") + "allowMultiQueries=false";
    return TestDatabases.options(SqlDialect.MARIADB).jdbcUrl(url);
  }

  @Override
  protected io.tito.spi.Engine createEngine() {
    io.tito.spi.Engine e = super.createEngine();
    if (((JdbcEngine) e).multiStatementCommits()) {
      throw new IllegalStateException("expected commits of one statement per round trip");
    }
    return e;
  }
}
