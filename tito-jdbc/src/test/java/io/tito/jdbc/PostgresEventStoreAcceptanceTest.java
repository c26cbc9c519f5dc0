package io.tito.jdbc;

/** The event-store acceptance kit on the local PostgreSQL server. */
class PostgresEventStoreAcceptanceTest extends JdbcEventStoreAcceptanceSupport {
  @Override
  SqlDialect dialect() {
    return SqlDialect.POSTGRESQL;
  }
}
