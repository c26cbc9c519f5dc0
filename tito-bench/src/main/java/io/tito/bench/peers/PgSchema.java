package io.tito.bench.peers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh schema on the local PostgreSQL (127.0.0.1:5432, database {@code test}, trust auth), so
 * no run sees an earlier run's tables; closing drops it with everything in it. Connections from
 * {@link #url()} resolve unqualified names in this schema.
 */
final class PgSchema implements AutoCloseable {

  static final String SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String USER = "postgres";

  private final String name;

  private PgSchema(String name) {
    this.name = name;
  }

  /** Creates {@code prefix + random hex}. */
  static PgSchema create(String prefix) throws SQLException {
    String name = prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    try (Connection c = DriverManager.getConnection(SERVER_URL, USER, null);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + name);
    }
    return new PgSchema(name);
  }

  String name() {
    return name;
  }

  /** A JDBC URL whose connections default to this schema. */
  String url() {
    return SERVER_URL + "?currentSchema=" + name;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, null);
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(SERVER_URL, USER, null);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }
}
