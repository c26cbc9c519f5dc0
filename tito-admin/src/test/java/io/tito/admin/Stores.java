package io.tito.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Fresh stores for the tests: a new RocksDB directory, or a new PostgreSQL table per run. */
final class Stores {

  static final String PG = setting("TITO_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String PG_USER = setting("TITO_PG_USER", "postgres");

  private Stores() {}

  static String setting(String name, String fallback) {
    String v = System.getProperty(name);
    if (v == null) {
      v = System.getenv(name);
    }
    return v == null ? fallback : v;
  }

  static String freshRocksDb() {
    try {
      return "rocksdb:" + Files.createTempDirectory("tito-admin-").toAbsolutePath();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A store URL on a table no earlier run used. */
  static String freshPostgres() {
    String table = "tito_admin_" + Long.toHexString(ThreadLocalRandom.current().nextLong()
        & Long.MAX_VALUE).toLowerCase(Locale.ROOT);
    return PG + "?user=" + PG_USER + "&table=" + table;
  }

  /** Drops the tables of a PostgreSQL store made by {@link #freshPostgres()}; ignores others. */
  static void drop(String url) {
    if (!url.startsWith("jdbc:postgresql:")) {
      return;
    }
    String table = url.substring(url.indexOf("table=") + 6);
    try (Connection c = DriverManager.getConnection(PG, PG_USER, null);
        Statement st = c.createStatement()) {
      for (String suffix : new String[] {"", "_meta", "_clears", "_schema", "_holds", "_changes", "_dead", "_listeners"}) {
        st.execute("DROP TABLE IF EXISTS \"" + table + suffix + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test store " + table, e);
    }
  }

  static void deleteDir(String url) {
    if (!url.startsWith("rocksdb:")) {
      return;
    }
    try (var files = Files.walk(Path.of(url.substring(8)))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a temp directory; best effort
    }
  }
}
