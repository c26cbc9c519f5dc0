package io.tito.jdbc;

/** The document-store acceptance kit on the local MariaDB server. */
class MariaDbDocumentAcceptanceTest extends JdbcDocumentAcceptanceSupport {
  @Override
  SqlDialect dialect() {
    return SqlDialect.MARIADB;
  }
}
