package io.tito.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tito.ClosedException;
import io.tito.InvalidArgumentException;
import io.tito.StorageException;
import io.tito.spi.BulkLoader;
import io.tito.spi.Capability;
import io.tito.spi.ChangeFeed;
import io.tito.spi.ChangeListener;
import io.tito.spi.Engine;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import io.tito.spi.SystemTransactions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine on a SQL server through JDBC: PostgreSQL or MariaDB/MySQL (InnoDB). The ordered key
 * space lives in one table per store ({@code k} binary primary key in ascending order, {@code v}
 * value, {@code ver} commit version), beside three small tables: {@code <table>_meta} (the commit
 * version), {@code <table>_clears} (recent range clears) and {@code <table>_schema} (applied schema
 * versions), and on PostgreSQL {@code <table>_dead} (the tombstones commits wrote, for their
 * collector). {@link #open} creates and migrates them.
 *
 * <p>Isolation: snapshot isolation with first-committer-wins, exactly as the engine contract
 * states, on both dialects. Reads run in a REPEATABLE READ database transaction held from
 * {@code begin} to the end (one connection per open transaction). Writes are buffered and applied
 * at commit in a short second database transaction that locks the store's version row, checks
 * for writes committed after the snapshot, and stamps the next version on every written row; see
 * the module README for why the database's own isolation levels are not enough.
 *
 * <p>Errors: serialization failures, deadlocks and lost races are
 * {@link io.tito.ConflictException}; a connection lost before commit is a retriable
 * {@link StorageException}; a connection lost during COMMIT is {@link io.tito.CommitUnknownException}.
 *
 * <p>Connections: with a JDBC URL the engine owns two HikariCP pools, the main one
 * ({@link JdbcEngineOptions#poolSize()}) and a small one for the short bookkeeping transactions of
 * threads marked through {@link SystemTransactions} and for tombstone collection
 * ({@link JdbcEngineOptions#systemPoolSize()}). A transaction, read-only or not, holds one
 * connection from begin to end and fails its next read once older than
 * {@link JdbcEngineOptions#maxTransactionAge()}.
 *
 * <p>Thread-safe; transactions are not. {@link #close()} closes the pools the engine owns (never a
 * caller's data source) and makes open transactions fail on their next call.
 */
public final class JdbcEngine implements Engine {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcEngine.class);
  private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_]{1,200}");
  private static final Pattern KEYSPACE = Pattern.compile("[a-z0-9_]{1,24}");

  private final JdbcEngineOptions options;
  private final SqlDialect dialect;
  private final Statements statements;
  private final Errors errors;
  private final DataSource dataSource;
  private final HikariDataSource pool;
  /** Connections for marked system threads and tombstone collection; null: they use the main pool. */
  private final HikariDataSource systemPool;
  private final EngineLimits limits;
  private final Set<Capability> capabilities;
  private final CommitWriter commitWriter;
  private final TombstoneCollector collector;
  private final NotificationListener listener;
  private final JdbcChangeFeed changeFeed;
  private final boolean notifications;
  /** The engine whose connections a keyspace shares; null for an engine opened by {@link #open}. */
  private final JdbcEngine parent;
  private final OwnBackends ownBackends;
  /** Whether connections take several statements per query (MariaDB's two-round commit). */
  private final boolean multiStatements;
  /** The keyspace engines opened from this one and not closed yet. */
  private final Set<JdbcEngine> keyspaces = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  /** Test pause point inside parallel commits; see {@link #onCommitChecked}. */
  private volatile Runnable commitCheckedHook;
  private volatile java.util.function.BooleanSupplier commitCheckedArmed = () -> true;

  private JdbcEngine(JdbcEngineOptions options, SqlDialect dialect, DataSource dataSource,
      HikariDataSource pool, HikariDataSource systemPool, JdbcEngine parent) {
    this.options = options;
    this.dialect = dialect;
    this.dataSource = dataSource;
    this.pool = pool;
    this.systemPool = systemPool;
    this.parent = parent;
    Dialect d = dialect.dialect();
    String schema = options.schema() != null ? options.schema() : d.defaultSchema();
    // A keyspace notifies on its parent's database channel, so the parent's one listening
    // connection hears every keyspace (notifications are wake-up hints, never data).
    this.statements = new Statements(d, schema, options.table(),
        parent == null ? options.table() : parent.statements.channel,
        parent == null ? ListenerRegistry.newId() : parent.statements.listenerId);
    this.errors = new Errors(d);
    this.limits = options.limits() != null ? options.limits()
        : new EngineLimits(d.defaultMaxKeySize(), 1024 * 1024, 10L * 1024 * 1024);
    if (limits.maxKeySize() > d.maxKeySizeCeiling()) {
      throw new InvalidArgumentException("maxKeySize exceeds what the dialect's key column holds",
          Map.of("maxKeySize", limits.maxKeySize(), "ceiling", d.maxKeySizeCeiling()));
    }
    long maxAge = options.maxTransactionAge().toNanos();
    new SchemaMigrator(statements).migrate(dataSource, options.migrate(), options.schema() != null);
    this.ownBackends = parent != null ? parent.ownBackends : new OwnBackends();
    this.multiStatements = parent != null ? parent.multiStatements
        : d == Dialect.MARIADB && acceptsMultiStatements(dataSource);
    this.commitWriter = new CommitWriter(statements, errors, maxAge, ownBackends,
        this::armedCommitCheckedHook, multiStatements);
    EnumSet<Capability> caps = EnumSet.of(Capability.DURABLE, Capability.MULTI_PROCESS,
        Capability.COMMIT_ORDERED_KEYS, Capability.CHANGE_FEED, Capability.COMMIT_SEQUENCED_APPENDS);
    if (parent == null) {
      caps.add(Capability.KEYSPACES);
    }
    this.notifications = parent != null ? parent.notifications
        : d.supportsNotifications() && options.notifications();
    if (notifications) {
      caps.add(Capability.CHANGE_NOTIFICATIONS);
    }
    if (commitWriter.parallel()) {
      caps.add(Capability.PARALLEL_COMMITS);
    }
    if (commitWriter.defersExpectations()) {
      caps.add(Capability.DEFERRED_EXPECTATIONS); // JdbcTransaction#defersExpectations
    }
    if (commitWriter.relaxedDurability()) {
      caps.add(Capability.RELAXED_DURABILITY);
    }
    if (d == Dialect.POSTGRESQL) {
      caps.add(Capability.BULK_LOAD);
    }
    this.capabilities = Set.copyOf(caps);
    HikariDataSource system = root().systemPool;
    this.collector = new TombstoneCollector(system != null ? system : dataSource, statements, maxAge,
        options.gcInterval().toMillis());
    this.listener = notifications && parent == null
        ? new NotificationListener(this::connectUnpooled, statements, ownBackends) : null;
    if (listener != null) {
      sweepListeners(dataSource);
    }
    this.changeFeed = new JdbcChangeFeed(this);
  }

  /**
   * Registers the store's listeners of older versions before this engine's first commit, so that
   * they are notified of it ({@link ListenerRegistry}). A failure only costs them wake-ups until
   * a listening engine's next sweep, so it is logged, not thrown.
   */
  private void sweepListeners(DataSource source) {
    try (Connection c = source.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(true);
      try {
        ListenerRegistry.sweep(c, statements);
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      LOG.warn("could not sweep the listener registry of {}: {}", statements.channel, String.valueOf(e));
    }
  }

  /**
   * Opens an engine: connects (creating a HikariCP pool when {@code options} give a JDBC URL),
   * creates or migrates the store's tables, and starts background collection of tombstones.
   *
   * @throws StorageException if the database cannot be reached (retriable) or the tables cannot
   *     be created or are of a newer schema version
   * @throws InvalidArgumentException if the dialect cannot be determined or the limits do not fit
   */
  public static JdbcEngine open(JdbcEngineOptions options) {
    HikariDataSource pool = null;
    HikariDataSource systemPool = null;
    try {
      DataSource ds = options.dataSource();
      if (ds == null) {
        pool = createPool(options, "tito-" + options.table(), options.poolSize(), Math.min(2, options.poolSize()));
        if (options.systemPoolSize() > 0) {
          // Connects on first use: the main pool has just checked that the server answers.
          systemPool = createPool(options, "tito-system-" + options.table(), options.systemPoolSize(), 0);
        }
        ds = pool;
      }
      SqlDialect dialect = options.dialect() != null ? options.dialect() : detect(ds);
      return new JdbcEngine(options, dialect, ds, pool, systemPool, null);
    } catch (RuntimeException e) {
      if (systemPool != null) {
        systemPool.close();
      }
      if (pool != null) {
        pool.close();
      }
      if (e instanceof io.tito.TitoException) {
        throw e;
      }
      throw new StorageException("could not connect to the database",
          Map.of("jdbcUrl", String.valueOf(options.jdbcUrl())), e, true);
    }
  }

  /**
   * A pool of {@code size} connections whose new connections come from a
   * {@link ReconnectingDataSource}: after an outage the pool reconnects as soon as the server is
   * back instead of after HikariCP's backoff of up to five seconds.
   */
  private static HikariDataSource createPool(JdbcEngineOptions o, String name, int size, int minIdle) {
    ReconnectingDataSource connections = ReconnectingDataSource.forUrl(o.jdbcUrl(), o.user(),
        o.password(), new Errors(o.dialect().dialect()));
    HikariConfig config = new HikariConfig();
    config.setDataSource(connections);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(minIdle);
    config.setConnectionTimeout(Math.max(250, o.connectionTimeout().toMillis()));
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
    config.setPoolName(name);
    if (minIdle == 0) {
      config.setInitializationFailTimeout(-1);
    }
    HikariDataSource pool = new HikariDataSource(config) {
      @Override
      public void close() {
        connections.close(); // attempts in progress stop retrying, so closing does not wait
        super.close();
      }
    };
    connections.startRetrying();
    return pool;
  }

  /** Whether commits go in two multi-statement queries (MariaDB, {@link MultiStatementCommit}). */
  boolean multiStatementCommits() {
    return commitWriter.multiStatement();
  }

  /**
   * Whether {@code ds}'s connections run a query of two statements ({@code allowMultiQueries},
   * which the pools this engine owns set on MariaDB); if not, commits send one statement per round
   * trip.
   */
  private static boolean acceptsMultiStatements(DataSource ds) {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      int results = 0;
      boolean isResultSet = st.execute("SELECT 1; SELECT 2");
      while (isResultSet || st.getUpdateCount() != -1) {
        if (isResultSet) {
          results++;
        }
        isResultSet = st.getMoreResults();
      }
      c.rollback();
      return results == 2;
    } catch (SQLException e) {
      LOG.info("connections take one statement per query (commits send one per round trip): {}",
          e.getMessage());
      return false;
    }
  }

  private static SqlDialect detect(DataSource ds) {
    try (Connection c = ds.getConnection()) {
      SqlDialect d = SqlDialect.fromProductName(c.getMetaData().getDatabaseProductName());
      if (d == null) {
        throw new InvalidArgumentException("the data source's database is not supported",
            Map.of("product", c.getMetaData().getDatabaseProductName()));
      }
      return d;
    } catch (SQLException e) {
      throw new StorageException("could not connect to the database", Map.of(), e, true);
    }
  }

  @Override
  public String name() {
    return dialect.engineName();
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public EngineLimits limits() {
    return limits;
  }

  /** The options this engine was opened with. */
  public JdbcEngineOptions options() {
    return options;
  }

  /** The SQL dialect in use. */
  public SqlDialect dialect() {
    return dialect;
  }

  /**
   * The change feed: every commit separately ({@link ChangeFeed#everyCommit()} is true), from the
   * store's change log, which commits write only while a retention hold (the {@code _holds} table)
   * exists; tombstone collection keeps what a hold covers.
   */
  @Override
  public ChangeFeed changeFeed() {
    ensureOpen();
    return changeFeed;
  }

  /**
   * On PostgreSQL ({@link Capability#BULK_LOAD}): a loader that streams the entries into the
   * key-value table with one binary {@code COPY} in one database transaction, committed by
   * {@link BulkLoader#finish()}; see the module README ("Bulk load").
   *
   * @throws InvalidArgumentException on MariaDB, or if the store is not empty or has change feed
   *     holds
   */
  @Override
  public BulkLoader bulkLoader() {
    ensureOpen();
    if (!capabilities.contains(Capability.BULK_LOAD)) {
      return Engine.super.bulkLoader();
    }
    return PostgresBulkLoader.open(this);
  }

  /**
   * Raises the stamp floor (see {@link Engine#raiseStampFloor}): one read when stamps are already
   * above it; else on PostgreSQL {@code stamp_base} is raised under the store lock taken
   * exclusively (commits wait for it, once), on MariaDB the version row. Stored in the store's
   * tables: every engine on the store, in any process, stamps above it.
   */
  @Override
  public void raiseStampFloor(long version) {
    ensureOpen();
    if (version < 0 || version > io.tito.spi.CommitSequencer.MAX_STAMP_FLOOR) {
      throw new InvalidArgumentException("stamp floor out of range",
          Map.of("version", version, "max", io.tito.spi.CommitSequencer.MAX_STAMP_FLOOR));
    }
    StampFloor.raise(this, statements, dataSource, version);
  }

  @Override
  public EngineTransaction begin(boolean readOnly) {
    ensureOpen();
    return JdbcTransaction.begin(this, readOnly, false);
  }

  /**
   * On PostgreSQL one statement in autocommit mode ({@link Statements#scanMany}): one snapshot, one
   * round trip, no {@code BEGIN} or {@code ROLLBACK}. Elsewhere the default (MariaDB's driver sends
   * a statement to switch autocommit).
   */
  @Override
  public List<List<io.tito.KeyValue>> readOnce(List<io.tito.RangeRead> reads) {
    if (dialect.dialect() != Dialect.POSTGRESQL) {
      return Engine.super.readOnce(reads);
    }
    io.tito.RangeRead.checkAll(reads);
    ensureOpen();
    if (reads.isEmpty()) {
      return new java.util.ArrayList<>();
    }
    DataSource source = poolForCurrentThread();
    Connection c = borrow(source);
    boolean broken = true;
    try {
      c.setAutoCommit(true);
      List<List<io.tito.KeyValue>> rows = JdbcTransaction.scanMany(c, statements, reads);
      c.setAutoCommit(false);
      broken = false;
      return rows;
    } catch (SQLException e) {
      ensureOpen();
      broken = errors.classify(e) == Errors.Kind.CONNECTION;
      if (!broken) {
        try {
          c.setAutoCommit(false);
        } catch (SQLException again) {
          broken = true;
        }
      }
      throw errors.beforeCommit("scan", e);
    } finally {
      giveBack(source, c, broken);
    }
  }

  /**
   * On PostgreSQL, calls {@code listener} with the payload when a transaction of another engine on
   * this store commits after {@link EngineTransaction#notifyOnCommit notifying} {@code channel}
   * (LISTEN/NOTIFY on a dedicated connection). The listener hears {@code listening(true)} once
   * the connection listens, {@code listening(false)} when it is lost, and after a reconnect
   * {@code listening(true)} then {@code changed(null)}, since notifications may have been missed.
   * Elsewhere it returns a subscription that does nothing.
   *
   * @throws InvalidArgumentException if the channel is not 1 to 200 letters, digits or underscores
   */
  @Override
  public AutoCloseable listen(String channel, ChangeListener listener) {
    if (channel == null || !CHANNEL.matcher(channel).matches()) {
      throw new InvalidArgumentException("channel must be 1 to 200 letters, digits or underscores",
          Map.of("channel", String.valueOf(channel)));
    }
    ensureOpen();
    if (parent != null) {
      return parent.listen(channel, listener);
    }
    if (this.listener == null) {
      return () -> {};
    }
    return this.listener.add(channel, listener);
  }

  /**
   * Opens keyspace {@code name}: the table set {@code <table>_ks_<name>} (and its
   * {@code _meta}, {@code _clears}, {@code _holds}, {@code _changes}, {@code _schema} tables, and
   * on PostgreSQL {@code _dead}) in the same schema,
   * created or migrated like the store's own (serialised by the same database lock, so
   * concurrent openers are safe). It shares this engine's pools and notification connection and
   * runs its own tombstone collection. Each call opens a new engine on the keyspace (close it
   * when done; closing this engine closes those still open).
   *
   * @throws InvalidArgumentException if the name is not 1 to 24 lower-case letters, digits or
   *     underscores, or the table name would exceed {@value JdbcEngineOptions#MAX_TABLE_LENGTH}
   *     characters, or this engine is itself a keyspace
   */
  @Override
  public Engine keyspace(String name) {
    ensureOpen();
    String table = keyspaceTable(name);
    JdbcEngineOptions o = options.toBuilder().table(table).build();
    JdbcEngine k = new JdbcEngine(o, dialect, dataSource, null, null, this);
    keyspaces.add(k);
    return k;
  }

  /**
   * Drops keyspace {@code name}'s tables ({@code DROP TABLE IF EXISTS}); closes its engines in
   * this process first.
   */
  @Override
  public void dropKeyspace(String name) {
    ensureOpen();
    String table = keyspaceTable(name);
    for (JdbcEngine k : List.copyOf(keyspaces)) {
      if (k.options.table().equals(table)) {
        k.close();
      }
    }
    String schema = options.schema() != null ? options.schema() : dialect.dialect().defaultSchema();
    Statements sql = new Statements(dialect.dialect(), schema, table);
    new SchemaMigrator(sql).drop(dataSource);
  }

  private String keyspaceTable(String name) {
    if (parent != null) {
      throw new InvalidArgumentException("a keyspace has no keyspaces of its own",
          Map.of("engine", name(), "capability", Capability.KEYSPACES));
    }
    String table = options.table() + "_ks_" + name;
    if (name == null || !KEYSPACE.matcher(name).matches()
        || table.length() > JdbcEngineOptions.MAX_TABLE_LENGTH) {
      throw new InvalidArgumentException("a keyspace name is 1 to 24 lower-case letters, digits "
          + "or underscores, and the store's table name plus '_ks_' and it at most "
          + JdbcEngineOptions.MAX_TABLE_LENGTH + " characters",
          Map.of("keyspace", String.valueOf(name), "table", options.table()));
    }
    return table;
  }

  private JdbcEngine root() {
    return parent == null ? this : parent;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (JdbcEngine k : List.copyOf(keyspaces)) {
      k.close();
    }
    if (parent != null) {
      parent.keyspaces.remove(this);
    }
    if (listener != null) {
      listener.close();
    }
    collector.close();
    if (systemPool != null) {
      systemPool.close();
    }
    if (pool != null) {
      pool.close();
    }
    LOG.debug("closed engine on {}", statements.kvTable);
  }

  /**
   * For tests: runs {@code hook} inside every parallel commit (PostgreSQL) once its conflict checks
   * passed, while it holds its locks and before its writes are sent (null: none). With a hook,
   * commits inside the snapshot transaction ({@link SnapshotCommit}) send their one pipeline in
   * two round trips, the hook running between them.
   */
  void onCommitChecked(Runnable hook) {
    onCommitChecked(hook, () -> true);
  }

  /**
   * For tests: as {@link #onCommitChecked(Runnable)}, but a commit uses the hook (and splits its
   * pipeline) only while {@code armed} says so, so that other commits take the normal path.
   */
  void onCommitChecked(Runnable hook, java.util.function.BooleanSupplier armed) {
    this.commitCheckedHook = hook;
    this.commitCheckedArmed = armed;
  }

  private Runnable armedCommitCheckedHook() {
    Runnable hook = commitCheckedHook;
    return hook != null && commitCheckedArmed.getAsBoolean() ? hook : null;
  }

  /**
   * For tests: makes the notifications' transaction that follows each commit (PostgreSQL) fail
   * on the server, after the data commit.
   */
  void failNotificationsForTest(boolean fail) {
    commitWriter.failNotificationsForTest(fail);
  }

  /**
   * For tests (PostgreSQL): whether the next in-snapshot commit ({@code appends} false) or
   * one-round commit of sequenced appends ({@code appends} true) sends the change log's insert.
   */
  boolean sendsChangeLogForTest(boolean appends) {
    return commitWriter.sendsChangeLogForTest(appends);
  }

  /**
   * For tests (PostgreSQL): how many one-round commits of sequenced appends found their
   * transaction had read nothing and sent no snapshot transaction.
   */
  long blindAppendCommitsForTest() {
    return commitWriter.blindAppendCommitsForTest();
  }

  /** Whether transactions send notifications on commit. */
  boolean notificationsEnabled() {
    return notifications;
  }

  /** Runs one tombstone collection pass now; for tests and tools. */
  int collectTombstones() throws SQLException {
    return collector.run();
  }

  /**
   * Collects every tombstone at or below the current commit version now, ignoring
   * {@code maxTransactionAge}; for tests that race collection against commits.
   */
  int collectTombstonesIgnoringAge() throws SQLException {
    return collector.runIgnoringAge();
  }

  void ensureOpen() {
    if (closed) {
      throw new ClosedException("engine is closed", Map.of("engine", dialect.engineName()));
    }
  }

  long maxTransactionAgeNanos() {
    return options.maxTransactionAge().toNanos();
  }

  Statements statements() {
    return statements;
  }

  Errors errors() {
    return errors;
  }

  CommitWriter commitWriter() {
    return commitWriter;
  }

  /** The pool a transaction begun on the calling thread borrows from. */
  DataSource poolForCurrentThread() {
    HikariDataSource system = root().systemPool;
    return system != null && SystemTransactions.isCurrentThreadMarked() ? system : dataSource;
  }

  /** A connection of {@code source} in manual-commit REPEATABLE READ mode. */
  Connection borrow(DataSource source) {
    try {
      Connection c = source.getConnection();
      if (root().pool == null) {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      }
      return c;
    } catch (SQLException e) {
      ensureOpen();
      throw errors.beforeCommit("connect", e);
    }
  }

  /** Returns a connection to {@code source}; a broken one is evicted from its pool. */
  void giveBack(DataSource source, Connection c, boolean broken) {
    try {
      if (broken && source instanceof HikariDataSource owned) {
        owned.evictConnection(c);
        return;
      }
      if (root().pool == null && !broken) {
        c.setAutoCommit(true);
      }
      c.close();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("closing a connection failed", e);
    }
  }

  private Connection connectUnpooled() throws SQLException {
    if (options.jdbcUrl() == null) {
      return dataSource.getConnection();
    }
    Properties p = new Properties();
    if (options.user() != null) {
      p.setProperty("user", options.user());
    }
    if (options.password() != null) {
      p.setProperty("password", options.password());
    }
    return DriverManager.getConnection(options.jdbcUrl(), p);
  }
}
