package io.tito.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/** The local SQL servers benchmarks use (database {@code test}), and their table housekeeping. */
public final class BenchServers {

  /** Table suffixes of one Tito JDBC store. */
  static final String[] TITO_TABLES = {"", "_meta", "_clears", "_schema", "_holds", "_changes", "_dead", "_listeners"};

  private BenchServers() {}

  public static String url(String server) {
    return server.equals("postgresql")
        ? "jdbc:postgresql://127.0.0.1:5432/test" : "jdbc:mariadb://127.0.0.1:3306/test";
  }

  public static String user(String server) {
    return server.equals("postgresql") ? "postgres" : "root";
  }

  public static Connection connect(String server) throws SQLException {
    return DriverManager.getConnection(url(server), user(server), null);
  }

  /** A table name no earlier run used. */
  public static String freshTable(String prefix) {
    return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  /** Drops {@code table + suffix} for every suffix, and for every table of a Tito store. */
  public static void dropTables(String server, String table, String... extraSuffixes) throws SQLException {
    try (Connection c = connect(server); Statement st = c.createStatement()) {
      for (String suffix : TITO_TABLES) {
        st.execute("DROP TABLE IF EXISTS " + table + suffix);
      }
      for (String suffix : extraSuffixes) {
        st.execute("DROP TABLE IF EXISTS " + table + suffix);
      }
    }
  }
}
