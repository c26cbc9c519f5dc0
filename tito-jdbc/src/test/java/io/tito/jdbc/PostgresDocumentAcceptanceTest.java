package io.tito.jdbc;

/** The document-store acceptance kit on the local PostgreSQL server. */
class PostgresDocumentAcceptanceTest extends JdbcDocumentAcceptanceSupport {
  @Override
  SqlDialect dialect() {
    return SqlDialect.POSTGRESQL;
  }
}
