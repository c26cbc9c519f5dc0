package io.tito.backup;

import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fresh JDBC engines on the local MariaDB server (override with {@code TITO_MARIADB_URL},
 * {@code TITO_MARIADB_USER}), in new tables per store, and dropping them afterwards.
 */
final class MariaDbStores {

  static final String URL = setting("TITO_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
  static final String USER = setting("TITO_MARIADB_USER", "root");

  private MariaDbStores() {}

  private static String setting(String name, String fallback) {
    return System.getProperty(name, System.getenv().getOrDefault(name, fallback));
  }

  static JdbcEngine open(List<String> tables) {
    String table = "tito_bk_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
        .toLowerCase(Locale.ROOT);
    tables.add(table);
    return JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(URL).user(USER).table(table).build());
  }

  static void drop(List<String> tables) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null); Statement st = c.createStatement()) {
      for (String t : tables) {
        for (String suffix : new String[] {"", "_meta", "_clears", "_schema", "_holds", "_changes"}) {
          st.execute("DROP TABLE IF EXISTS `" + t + suffix + "`");
        }
      }
    }
    tables.clear();
  }
}
