package io.tito.jdbc;

class MariaDbEngineBehaviourTest extends JdbcEngineBehaviourTest {
  @Override
  SqlDialect dialect() {
    return SqlDialect.MARIADB;
  }
}
