package io.tito.jdbc;

class PostgresEngineBehaviourTest extends JdbcEngineBehaviourTest {
  @Override
  SqlDialect dialect() {
    return SqlDialect.POSTGRESQL;
  }
}
