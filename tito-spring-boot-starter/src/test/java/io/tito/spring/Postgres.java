package io.tito.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The local PostgreSQL server (127.0.0.1:5432, database test; override with TITO_PG_URL,
 * TITO_PG_USER, TITO_PG_PASSWORD) and a fresh schema per test run. A missing server fails.
 */
final class Postgres {

  private Postgres() {}

  static String setting(String name, String fallback) {
    String v = System.getProperty(name);
    if (v == null) {
      v = System.getenv(name);
    }
    return v == null ? fallback : v;
  }

  /** A pool standing in for the application's DataSource. */
  static HikariDataSource dataSource() {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(setting("TITO_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
    c.setUsername(setting("TITO_PG_USER", "postgres"));
    c.setPassword(setting("TITO_PG_PASSWORD", null));
    c.setMaximumPoolSize(30);
    c.setPoolName("app");
    return new HikariDataSource(c);
  }

  /** A schema name no earlier run used. */
  static String freshSchema() {
    return "tito_spring_" + Long.toHexString(ThreadLocalRandom.current().nextLong()
        & Long.MAX_VALUE).toLowerCase(Locale.ROOT);
  }

  static void execute(HikariDataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
