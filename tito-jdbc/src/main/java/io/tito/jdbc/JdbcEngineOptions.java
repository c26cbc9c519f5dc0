package io.tito.jdbc;

import io.tito.InvalidArgumentException;
import io.tito.spi.EngineLimits;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Settings of a {@link JdbcEngine}; immutable. Every instance is validated by the canonical
 * constructor (which {@link Builder#build()} calls), so an invalid combination cannot exist; the
 * {@link InvalidArgumentException} names the setting and the value. Build with {@link #builder()}.
 *
 * @param jdbcUrl where to connect (the engine then owns a HikariCP pool); {@code null} when a
 *     {@code dataSource} is given
 * @param user database user for {@code jdbcUrl}, or {@code null} to use the URL's
 * @param password password for {@code jdbcUrl}, or {@code null}
 * @param dataSource a caller-owned data source used instead of a pool (not closed by the engine);
 *     {@code null} when {@code jdbcUrl} is given
 * @param dialect the SQL dialect; {@code null} to detect it from the URL or the data source
 * @param schema schema (PostgreSQL) or database (MariaDB) holding the tables; {@code null} for
 *     {@code public} on PostgreSQL and the connection's current database on MariaDB
 * @param table base name of the store's tables; default {@code tito_kv}
 * @param poolSize maximum pooled connections; default {@value #DEFAULT_POOL_SIZE}. Each open
 *     transaction holds one for its whole life, so size it from the transactions a process keeps
 *     open at once: for Tito workers, the {@code concurrency} of every subscription whose handler
 *     runs in the transaction (they hold a connection while the handler runs), plus a few for
 *     partition reads, publishing and the application. The default covers one subscription at the
 *     default concurrency (16) with 8 to spare.
 * @param systemPoolSize connections of a second, separate pool reserved for the short
 *     bookkeeping transactions of Tito's own threads that are {@linkplain
 *     io.tito.spi.SystemTransactions marked as such} (worker heartbeats and lease renewals, lease
 *     acquisition) and for tombstone collection, so that they never wait behind handlers holding
 *     every connection of the main pool; default {@value #DEFAULT_SYSTEM_POOL_SIZE}; 0 sends them
 *     to the main pool. Only used when the engine owns its pools ({@code jdbcUrl}).
 * @param connectionTimeout how long {@code begin} waits for a pooled connection; default 30 s
 * @param pageSize rows fetched per round trip by range scans; default 256
 * @param limits sizes accepted; {@code null} for the dialect's default (keys of 2048 bytes on
 *     PostgreSQL and 3072 on MariaDB, values of 1 MiB, transactions of 10 MiB)
 * @param maxTransactionAge write transactions older than this fail to commit with a retriable
 *     conflict, so that tombstones can be collected, and any transaction (read-only ones
 *     included) older than this fails its next read with a retriable conflict, so that no
 *     snapshot pins a connection and the server's old row versions for longer; default 5 min. Use
 *     the same value in every process sharing a store.
 * @param gcInterval how often tombstones and old range-clear records are collected; default 1 min
 * @param migrate whether {@code open} creates and migrates the tables; default {@code true}. When
 *     {@code false} the tables must exist at the current schema version.
 * @param notifications whether to offer LISTEN/NOTIFY change notifications where the dialect has
 *     them (PostgreSQL); default {@code true}. Turn off for servers that speak the PostgreSQL
 *     protocol without LISTEN (CockroachDB): Tito then relies on polling alone.
 */
public record JdbcEngineOptions(
    String jdbcUrl,
    String user,
    String password,
    DataSource dataSource,
    SqlDialect dialect,
    String schema,
    String table,
    int poolSize,
    int systemPoolSize,
    Duration connectionTimeout,
    int pageSize,
    EngineLimits limits,
    Duration maxTransactionAge,
    Duration gcInterval,
    boolean migrate,
    boolean notifications) {

  /** Lower-case letters, digits and underscores, not starting with a digit. */
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
  /** Leaves room for the suffixes of the store's other tables within 63 characters. */
  static final int MAX_TABLE_LENGTH = 48;
  static final int MAX_SCHEMA_LENGTH = 63;
  /** Default of {@link #poolSize()}. */
  public static final int DEFAULT_POOL_SIZE = 24;
  /** Default of {@link #systemPoolSize()}. */
  public static final int DEFAULT_SYSTEM_POOL_SIZE = 2;

  /**
   * Validates every setting; the builder's {@code build()} calls it, and so may code that builds
   * the record directly. A {@code null} {@code dialect} is taken from {@code jdbcUrl} when one is
   * given.
   *
   * @throws InvalidArgumentException if neither or both of {@code jdbcUrl} and {@code dataSource}
   *     are set, the URL names no supported database, an identifier is not safe, a number or
   *     duration is out of range, or the key limit exceeds what the dialect's key column holds;
   *     the message's context names the setting
   */
  public JdbcEngineOptions {
    if ((jdbcUrl == null) == (dataSource == null)) {
      throw new InvalidArgumentException("set exactly one of jdbcUrl and dataSource",
          Map.of("setting", "jdbcUrl/dataSource", "jdbcUrlSet", jdbcUrl != null,
              "dataSourceSet", dataSource != null)); // a URL may hold a password: not shown
    }
    if (dialect == null && jdbcUrl != null) {
      dialect = SqlDialect.fromJdbcUrl(jdbcUrl);
    }
    if (schema != null) {
      requireIdentifier("schema", schema, MAX_SCHEMA_LENGTH);
    }
    requireIdentifier("table", table, MAX_TABLE_LENGTH);
    requireRange("poolSize", poolSize, 1, 10_000);
    requireRange("systemPoolSize", systemPoolSize, 0, 100);
    requireRange("pageSize", pageSize, 1, 100_000);
    requirePositive("connectionTimeout", connectionTimeout);
    requirePositive("maxTransactionAge", maxTransactionAge);
    requirePositive("gcInterval", gcInterval);
    if (limits != null && dialect != null && limits.maxKeySize() > dialect.dialect().maxKeySizeCeiling()) {
      throw new InvalidArgumentException("maxKeySize exceeds what the dialect's key column holds",
          Map.of("setting", "limits.maxKeySize", "maxKeySize", limits.maxKeySize(),
              "ceiling", dialect.dialect().maxKeySizeCeiling()));
    }
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.jdbcUrl = jdbcUrl;
    b.user = user;
    b.password = password;
    b.dataSource = dataSource;
    b.dialect = dialect;
    b.schema = schema;
    b.table = table;
    b.poolSize = poolSize;
    b.systemPoolSize = systemPoolSize;
    b.connectionTimeout = connectionTimeout;
    b.pageSize = pageSize;
    b.limits = limits;
    b.maxTransactionAge = maxTransactionAge;
    b.gcInterval = gcInterval;
    b.migrate = migrate;
    b.notifications = notifications;
    return b;
  }

  @Override
  public String toString() {
    return "JdbcEngineOptions[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password="
        + (password == null ? "null" : "***") + ", dataSource=" + dataSource + ", dialect=" + dialect
        + ", schema=" + schema + ", table=" + table + ", poolSize=" + poolSize + ", systemPoolSize=" + systemPoolSize + ", pageSize="
        + pageSize + ", limits=" + limits + "]";
  }

  /**
   * Checks that {@code name} is a safe SQL identifier: lower-case ASCII letters, digits and
   * underscores, not starting with a digit, at most {@code maxLength} characters.
   *
   * @throws InvalidArgumentException otherwise
   */
  static String requireIdentifier(String what, String name, int maxLength) {
    if (name == null || name.length() > maxLength || !IDENTIFIER.matcher(name).matches()) {
      throw new InvalidArgumentException(
          "identifier must be lower-case letters, digits and underscores, not starting with a digit",
          Map.of("setting", what, "value", String.valueOf(name), "maxLength", maxLength));
    }
    return name;
  }

  /** Collects settings; not thread-safe. Every setter's default is stated on the record. */
  public static final class Builder {
    private String jdbcUrl;
    private String user;
    private String password;
    private DataSource dataSource;
    private SqlDialect dialect;
    private String schema;
    private String table = "tito_kv";
    private int poolSize = DEFAULT_POOL_SIZE;
    private int systemPoolSize = DEFAULT_SYSTEM_POOL_SIZE;
    private Duration connectionTimeout = Duration.ofSeconds(30);
    private int pageSize = 256;
    private EngineLimits limits;
    private Duration maxTransactionAge = Duration.ofMinutes(5);
    private Duration gcInterval = Duration.ofMinutes(1);
    private boolean migrate = true;
    private boolean notifications = true;

    private Builder() {}

    public Builder jdbcUrl(String v) { jdbcUrl = v; return this; }
    public Builder user(String v) { user = v; return this; }
    public Builder password(String v) { password = v; return this; }
    public Builder dataSource(DataSource v) { dataSource = v; return this; }
    public Builder dialect(SqlDialect v) { dialect = v; return this; }
    public Builder schema(String v) { schema = v; return this; }
    public Builder table(String v) { table = v; return this; }
    public Builder poolSize(int v) { poolSize = v; return this; }
    public Builder systemPoolSize(int v) { systemPoolSize = v; return this; }
    public Builder connectionTimeout(Duration v) { connectionTimeout = v; return this; }
    public Builder pageSize(int v) { pageSize = v; return this; }
    public Builder limits(EngineLimits v) { limits = v; return this; }
    public Builder maxTransactionAge(Duration v) { maxTransactionAge = v; return this; }
    public Builder gcInterval(Duration v) { gcInterval = v; return this; }
    public Builder migrate(boolean v) { migrate = v; return this; }
    public Builder notifications(boolean v) { notifications = v; return this; }

    /**
     * Validates and returns the options.
     *
     * @throws InvalidArgumentException if neither or both of URL and data source are set, the URL
     *     names no supported database, an identifier is not safe, a number is out of range, or the
     *     key limit exceeds what the dialect's key column holds
     */
    public JdbcEngineOptions build() {
      return new JdbcEngineOptions(jdbcUrl, user, password, dataSource, dialect, schema, table,
          poolSize, systemPoolSize, connectionTimeout, pageSize, limits, maxTransactionAge,
          gcInterval, migrate, notifications);
    }
  }

  private static void requireRange(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidArgumentException("setting is out of range",
          Map.of("setting", what, "value", value, "min", min, "max", max));
    }
  }

  private static void requirePositive(String what, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new InvalidArgumentException("duration must be positive",
          Map.of("setting", what, "value", String.valueOf(value)));
    }
  }
}
