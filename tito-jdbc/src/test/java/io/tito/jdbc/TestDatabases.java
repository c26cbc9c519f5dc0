package io.tito.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared local servers the tests use, and fresh store names. Override the defaults with the
 * system properties or environment variables {@code TITO_PG_URL}, {@code TITO_PG_USER},
 * {@code TITO_MARIADB_URL}, {@code TITO_MARIADB_USER} (and {@code ..._PASSWORD}).
 */
final class TestDatabases {

  private TestDatabases() {}

  static String setting(String name, String fallback) {
    String v = System.getProperty(name);
    if (v == null) {
      v = System.getenv(name);
    }
    return v == null ? fallback : v;
  }

  static JdbcEngineOptions.Builder options(SqlDialect dialect) {
    return switch (dialect) {
      case POSTGRESQL -> JdbcEngineOptions.builder()
          .jdbcUrl(setting("TITO_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"))
          .user(setting("TITO_PG_USER", "postgres"))
          .password(setting("TITO_PG_PASSWORD", null));
      case MARIADB -> JdbcEngineOptions.builder()
          .jdbcUrl(setting("TITO_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test"))
          .user(setting("TITO_MARIADB_USER", "root"))
          .password(setting("TITO_MARIADB_PASSWORD", null));
    };
  }

  /** A table name no earlier run used: {@code tito_t_<random>}. */
  static String freshTable() {
    return "tito_t_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
        .toLowerCase(Locale.ROOT);
  }

  static Connection connect(SqlDialect dialect) throws SQLException {
    JdbcEngineOptions o = options(dialect).build();
    return DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password());
  }

  /** Drops every table of a store (in the connection's default schema unless given). */
  static void dropStore(SqlDialect dialect, String schema, String table) {
    Dialect d = dialect.dialect();
    String prefix = schema == null ? "" : d.quote(schema) + ".";
    try (Connection c = connect(dialect); Statement st = c.createStatement()) {
      for (String suffix : new String[] {"", "_meta", "_clears", "_schema", "_holds", "_changes", "_dead", "_listeners"}) {
        st.execute("DROP TABLE IF EXISTS " + prefix + d.quote(table + suffix));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test store " + table, e);
    }
  }

  static void dropStore(SqlDialect dialect, String table) {
    dropStore(dialect, null, table);
  }

  /**
   * The stores one test class opens, each in fresh tables, remembered so that they are all
   * dropped after the class (a JUnit extension: register it on a static field). Thread-safe.
   *
   * <pre>{@code
   * @RegisterExtension static final TestDatabases.FreshStores STORES = new TestDatabases.FreshStores();
   * protected Engine createEngine() { return STORES.open(dialect()); }
   * }</pre>
   */
  static final class FreshStores implements AfterAllCallback {

    private record Created(SqlDialect dialect, String table) {}

    private final Queue<Created> created = new ConcurrentLinkedQueue<>();

    /** A fresh table name (see {@link TestDatabases#freshTable}), remembered to be dropped. */
    String newTable(SqlDialect dialect) {
      String table = freshTable();
      created.add(new Created(dialect, table));
      return table;
    }

    /** An engine on a new store in fresh tables of the local {@code dialect} server. */
    JdbcEngine open(SqlDialect dialect) {
      return JdbcEngine.open(options(dialect).table(newTable(dialect)).build());
    }

    /** Drops every store opened so far (each once). */
    @Override
    public void afterAll(ExtensionContext context) {
      Created c;
      while ((c = created.poll()) != null) {
        dropStore(c.dialect(), c.table());
      }
    }
  }
}
