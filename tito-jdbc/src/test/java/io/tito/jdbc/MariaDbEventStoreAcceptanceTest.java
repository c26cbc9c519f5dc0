package io.tito.jdbc;

/** The event-store acceptance kit on the local MariaDB server. */
class MariaDbEventStoreAcceptanceTest extends JdbcEventStoreAcceptanceSupport {
  @Override
  SqlDialect dialect() {
    return SqlDialect.MARIADB;
  }
}
