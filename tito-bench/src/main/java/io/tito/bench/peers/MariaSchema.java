package io.tito.bench.peers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh database on the local MariaDB (127.0.0.1:3306, user root, no password), so no run sees
 * an earlier run's tables; closing drops it with everything in it. Connections from {@link
 * #url()} use it as their default database.
 */
final class MariaSchema implements AutoCloseable {

  static final String SERVER_URL = "jdbc:mariadb://127.0.0.1:3306/";
  static final String USER = "root";

  private final String name;

  private MariaSchema(String name) {
    this.name = name;
  }

  /** Creates {@code prefix + random hex}. */
  static MariaSchema create(String prefix) throws SQLException {
    String name = prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    try (Connection c = DriverManager.getConnection(SERVER_URL + "test", USER, null);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return new MariaSchema(name);
  }

  /** A JDBC URL whose connections default to this database. */
  String url() {
    return SERVER_URL + name;
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(SERVER_URL + "test", USER, null);
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
    }
  }
}
