package io.tito.jdbc;

import io.tito.InvalidArgumentException;
import java.util.Locale;
import java.util.Map;

/**
 * The SQL servers the JDBC engine speaks to. Each value selects a set of SQL templates and error
 * mappings; the engine's logic is the same for all.
 */
public enum SqlDialect {
  /** PostgreSQL (and, untested, servers speaking its protocol: CockroachDB, YugabyteDB). */
  POSTGRESQL(Dialect.POSTGRESQL),
  /** MariaDB and MySQL with InnoDB (and, untested, TiDB). */
  MARIADB(Dialect.MARIADB);

  private final Dialect dialect;

  SqlDialect(Dialect dialect) {
    this.dialect = dialect;
  }

  Dialect dialect() {
    return dialect;
  }

  /** The engine name this dialect reports: {@code postgresql} or {@code mariadb}. */
  public String engineName() {
    return dialect.name();
  }

  /**
   * The dialect of a JDBC URL: {@code jdbc:postgresql:} gives {@link #POSTGRESQL};
   * {@code jdbc:mariadb:} and {@code jdbc:mysql:} give {@link #MARIADB}.
   *
   * @throws InvalidArgumentException for any other URL
   */
  static SqlDialect fromJdbcUrl(String jdbcUrl) {
    String url = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      return MARIADB;
    }
    throw new InvalidArgumentException("JDBC URL names no supported database",
        Map.of("setting", "jdbcUrl", "expected", "jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:"));
  }

  /** The dialect of a database product name as JDBC metadata reports it, or {@code null}. */
  static SqlDialect fromProductName(String product) {
    String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    if (p.contains("mariadb") || p.contains("mysql")) {
      return MARIADB;
    }
    return null;
  }
}
