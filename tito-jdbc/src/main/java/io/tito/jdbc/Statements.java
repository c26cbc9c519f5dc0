package io.tito.jdbc;

import java.util.List;
import java.util.Map;

/**
 * The SQL of one store: the dialect's templates and the shared statements with the store's
 * validated, quoted table names filled in. Built once per engine; immutable and thread-safe.
 */
final class Statements {

  /** Largest number of keys checked by one {@code IN (...)} conflict query. */
  static final int IN_CHUNK = 100;

  final Dialect dialect;
  final String kvTable;
  final String lockName;
  final String channel;
  final String createSchema;
  final String createVersions;
  final List<List<String>> migrations;
  final String schemaVersion;
  final String recordSchemaVersion;
  final String snapshotVersion;
  /** The lowest stamp version a commit beginning now can get (see {@link StampFloor}). */
  final String nextStampVersion;
  /** Raises the stamp floor to the parameter (PostgreSQL: under the exclusive store lock). */
  final String raiseStampFloor;
  final String lockVersion;
  final String writeVersion;
  /** {@code null} if the dialect has none (see {@link Dialect#lockAndBumpVersionSql}). */
  final String lockAndBumpVersion;
  final String get;
  final String scanForward;
  final String scanForwardAfter;
  final String scanReverse;
  final String clearsSince;
  final String rangeChanged;
  final String deleteRange;
  final String insertClear;
  final String upsert;
  final String gcTombstones;
  final String gcClears;
  final String minHold;
  final String oneHold;
  final String allHolds;
  final String insertHold;
  final String moveHold;
  final String deleteHold;
  /**
   * The per-commit change log (kept only while a hold exists): the first page, the next page
   * after a (version, kind, seq) position, MariaDB's insert of one entry, whether a hold exists
   * (MariaDB), the version from which every commit is logged, and the collector's delete.
   */
  final String changesFirst;
  final String changesNext;
  final String insertChange;
  final String holdsExist;
  final String changesFrom;
  final String gcChanges;
  /**
   * PostgreSQL's two commit pipelines (see {@link PipelinedCommit}); {@code null} on dialects
   * whose driver does not send a multi-statement prepared statement in one round.
   */
  final String pipelinedLock;
  final String pipelinedLockExclusive;
  /** {@link #pipelinedLock} that also reads sequenced appends' counters, after the key locks. */
  final String pipelinedLockCounters;
  /** {@link #pipelinedLockExclusive} that also reads sequenced appends' counters. */
  final String pipelinedLockExclusiveCounters;
  /**
   * PostgreSQL: commits inside the snapshot transaction ({@link SnapshotCommit}): the locks,
   * version and check; the gated writes and COMMIT; the same followed by the gated
   * notifications' transaction; the session settings telling whether the last one committed; an
   * update of the version row that sends in-snapshot commits whose snapshot misses it to the
   * READ COMMITTED path.
   */
  final String snapshotPrepare;
  final String snapshotApply;
  final String snapshotApplyNotify;
  /**
   * PostgreSQL: {@link #snapshotApply} and {@link #snapshotApplyNotify} without the change log's
   * insert, for a commit that saw no retention hold last time: its prepare statement (the same
   * {@link #snapshotPrepare}, told so by a parameter) counts a hold in the snapshot as a hole, so
   * such a commit writes nothing and takes the READ COMMITTED path, which logs the change.
   */
  final String snapshotApplyLean;
  final String snapshotApplyLeanNotify;
  /**
   * PostgreSQL: a commit of sequenced appends and point writes in one READ COMMITTED pipeline
   * ({@link AppendCommit}): locks, the gated check, the writes with positions assigned on the
   * server, COMMIT; the same followed by the gated notifications' transaction; the session
   * settings telling whether the last one committed and with which counter bases.
   */
  final String appendCommit;
  /**
   * PostgreSQL only: every form of {@link #appendCommit}, by {@link #appendCommit(boolean,
   * boolean, boolean, boolean, boolean)}: with relaxed durability (the check statement also sets {@code
   * synchronous_commit = off} for the data transaction only, so its {@code COMMIT} does not wait
   * for the WAL flush), followed by the gated notifications' transaction, lean (without the
   * change log's insert; the check then counts a retention hold as a hole, see {@link
   * SnapshotCommit}), and blind (the transaction read nothing: no snapshot transaction to end,
   * the check judges against its own snapshot, taken after the locks), and with expectations
   * (deferred reads judged by the commit, gating the writes like a changed key).
   */
  private final String[] appendCommits;
  final String appendOutcome;
  final String snapshotOutcome;
  final String touchVersionRow;
  /** PostgreSQL: whether a tombstone record at or below a version exists (the collector's). */
  final String anyTombstone;
  /** PostgreSQL: deletes every tombstone and every tombstone record (a bulk load's purge). */
  final String purgeTombstones;
  /**
   * PostgreSQL: the end of the upsert in a commit's {@code WITH} ({@code up}), and the same
   * followed by the insert of the tombstone records; the points' upsert statement of {@link
   * #pipelinedApply}, and the same recording tombstones (see {@link #recordingTombstones}).
   */
  private final String upsertInCte;
  private final String upsertInCteRecording;
  private final String upsertPoints;
  private final String upsertPointsRecording;
  private final java.util.concurrent.ConcurrentHashMap<String, String> recording =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** PostgreSQL: the notifications of a commit, sent once it committed (if another engine listens). */
  final String notifyAfterCommit;
  /** This engine's id in the listener registry ({@link ListenerRegistry}). */
  final String listenerId;
  /** A boolean SQL expression: whether an engine other than this one listens (PostgreSQL; else null). */
  final String othersListen;
  /** Sends one notification (channel, payload); on PostgreSQL only if another engine listens. */
  final String notify;
  /** Registers the executing (listening) connection as this engine's (PostgreSQL; else null). */
  final String registerListener;
  /** Drops registrations of ended backends, registers listeners of older versions (PostgreSQL; else null). */
  final String sweepListeners;
  final String pipelinedApply;
  /** {@link #pipelinedApply} that also logs the commit's changes (while a hold exists). */
  final String pipelinedApplyLogged;
  /** {@link #pipelinedApply} followed by the notifications' own transaction, in the same round. */
  final String pipelinedApplyNotify;
  /** {@link #pipelinedApplyLogged} followed by the notifications' own transaction. */
  final String pipelinedApplyLoggedNotify;
  /** Whether a transaction id ({@code xid8}) committed: {@code pg_xact_status}. */
  final String xactStatus;
  /**
   * PostgreSQL only ({@code null} elsewhere): the first statement of an ordinary snapshot (its
   * transaction ids); the clean version cut (see {@link VersionCut}); the store lock taken
   * exclusively for the transaction, waiting or not; the last version handed out.
   */
  final String beginSnapshot;
  /**
   * PostgreSQL only: the stamp horizon of the current transaction's snapshot (its lowest
   * transaction id still running, plus the store's stamp base), for a snapshot that did not read
   * it at begin (read-only transactions).
   */
  final String stampHorizon;
  /** PostgreSQL only: {@link #beginSnapshot} and {@link #get} in one pipeline (a write transaction's first read). */
  final String snapshotThenGet;
  /**
   * PostgreSQL only: the stamp horizon from the store's commits in flight, read before a snapshot
   * (see {@link VersionCut#stampHorizonBeforeSnapshot}), then a new REPEATABLE READ transaction
   * whose snapshot the next statement takes.
   */
  final String stampHorizonBeforeSnapshot;
  final String cutSnapshot;
  final String lockStore;
  /** PostgreSQL: a version from the store's sequence and the transaction's id (bulk load). */
  final String nextVersionAndXid;
  final String tryLockStore;
  final String lastVersion;
  /** The store lock is the advisory lock ({@link #STORE_LOCK_CLASS}, {@code storeLockId}). */
  static final int STORE_LOCK_CLASS = 0x7469746f;
  final int storeLockId;
  /** The upsert of a commit's rows: an update keeps the key and sets the rest. */
  private static final String UPSERT_SET =
      " ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, ver = EXCLUDED.ver, xid = EXCLUDED.xid";
  /**
   * PostgreSQL's one-round commits: the change log's insert of the written keys ({@code w}, in
   * key order, at the commit's version), gated on the commit going ahead and on a hold existing.
   */
  private static final String CHANGE_LOG_OF_W = "INSERT INTO {changes} (ver, kind, seq, t, k, v)"
      + " SELECT currval('{seq}'::regclass), 1, (row_number() OVER (ORDER BY k))::int, ?, k, v FROM w"
      + " WHERE current_setting('tito.commit') = ? AND EXISTS (SELECT 1 FROM {holds})";
  /**
   * PostgreSQL's one-round commits: after the data {@code COMMIT}, the notifications' own
   * transaction, which does not wait for the WAL flush and sends nothing if the data transaction
   * wrote nothing ({@code tito.commit} not this commit's nonce) or no other engine listens
   * ({@link #othersListen}).
   */
  private final String notifyTransaction;
  /** What a tombstone-recording upsert ({@code up}) returns, and the insert of the records. */
  private static final String RECORD_RETURNING = " RETURNING k, v, ver";
  private static final String RECORD_INSERT =
      "INSERT INTO {dead} (ver, k) SELECT ver, k FROM up WHERE v IS NULL";
  /** Seed of the 64-bit hashes of written keys, so stores lock disjoint key spaces. */
  final long keyLockSeed;
  private final String pointsChangedPrefix;
  private final String getManyPrefix;
  /**
   * MariaDB: the store's version as a {@code (k, v)} row with a null key, the first branch of a
   * {@code UNION ALL} read (a write transaction's first read, see {@link JdbcTransaction}).
   */
  final String versionRow;
  /** The same as a {@code (q, k, v)} row tagged -1, the first branch of a {@link #scanMany}. */
  final String versionRowTagged;
  final String multiCommitBump;
  final String multiCommitReadsVersion;
  final String multiCommitReadsClears;
  final String multiCommitReadsRange;
  final String multiCommitReadsHold;
  private final String multiCommitPointsPrefix;
  private final String multiCommitCountersPrefix;
  private final String multiCommitExpectedPrefix;
  /** A commit group's reads ({@link CommitGroup}): the rows also name a clear's version or a member. */
  final String groupReadsClears;
  private final String groupPointsPrefix;
  private final String groupExpectedPrefix;

  /** Drops the store's tables, the key-value table last. */
  final List<String> dropTables;

  Statements(Dialect dialect, String schema, String table) {
    this(dialect, schema, table, table, ListenerRegistry.newId());
  }

  /**
   * The statements of the tables named after {@code table}, notifying on {@code channel}, sent by
   * the engine whose listening connection registers as {@code listenerId} ({@link
   * ListenerRegistry}; letters and digits).
   */
  Statements(Dialect dialect, String schema, String table, String channel, String listenerId) {
    this.dialect = dialect;
    if (!listenerId.matches("[A-Za-z0-9]{1,40}")) {
      throw new IllegalArgumentException("listener id must be 1 to 40 letters or digits: " + listenerId);
    }
    this.listenerId = listenerId;
    String prefix = schema == null ? "" : dialect.quote(schema) + ".";
    Map<String, String> names = Map.ofEntries(
        // The registry of listening engines is the channel's: a keyspace's commits notify its
        // parent's channel and are heard by its parent's listener.
        Map.entry("{listeners}", prefix + dialect.quote(channel + "_listeners")),
        Map.entry("{kv}", prefix + dialect.quote(table)),
        Map.entry("{meta}", prefix + dialect.quote(table + "_meta")),
        Map.entry("{clears}", prefix + dialect.quote(table + "_clears")),
        Map.entry("{holds}", prefix + dialect.quote(table + "_holds")),
        Map.entry("{changes}", prefix + dialect.quote(table + "_changes")),
        Map.entry("{versions}", prefix + dialect.quote(table + "_schema")),
        Map.entry("{dead}", prefix + dialect.quote(table + "_dead")),
        Map.entry("{kvTombIndex}", dialect.quote(table + "_tombstones")),
        Map.entry("{kvTombIndexInSchema}", prefix + dialect.quote(table + "_tombstones")),
        Map.entry("{clearsIndex}", dialect.quote(table + "_clears_ver")),
        Map.entry("{clearsXidIndex}", dialect.quote(table + "_clears_xid")),
        Map.entry("{seq}", prefix + dialect.quote(table + "_versions")),
        Map.entry("{schema}", schema == null ? "" : dialect.quote(schema)));
    this.kvTable = names.get("{kv}");
    // MariaDB lock names hold at most 64 characters.
    this.lockName = "tito:" + Integer.toHexString((schema + "." + table).hashCode()) + ":" + table;
    this.channel = channel;
    // A keyspace's store does not own its channel's listener registry: its parent's does.
    // Only PostgreSQL has one (MariaDB has no notifications).
    boolean registry = dialect == Dialect.POSTGRESQL;
    List<String> owned = registry && table.equals(channel)
        ? List.of("{meta}", "{clears}", "{holds}", "{changes}", "{dead}", "{listeners}", "{versions}", "{kv}")
        : List.of("{meta}", "{clears}", "{holds}", "{changes}", "{dead}", "{versions}", "{kv}");
    this.dropTables = owned.stream().map(t -> "DROP TABLE IF EXISTS " + names.get(t)).toList();
    // Whether an engine other than this one listens (ListenerRegistry): read by the
    // notifications' statements after the data commit, so a listener registered before its
    // engine's first read is always notified of a commit that read missed.
    this.othersListen = !registry ? null : fill("EXISTS (SELECT 1 FROM {listeners} WHERE engine <> '" + listenerId + "')", names);
    this.notifyTransaction = !registry ? null : ";\nBEGIN;\n"
        + "SELECT set_config('synchronous_commit', 'off', true), count(pg_notify(?, c))"
        + " FROM unnest(?::text[]) AS n(c) WHERE current_setting('tito.commit') = ? AND " + othersListen
        + ";\nCOMMIT";
    this.notify = registry ? "SELECT pg_notify(?, ?) WHERE " + othersListen : dialect.notifySql();
    this.registerListener = !registry ? null : fill("INSERT INTO {listeners} (pid, engine) VALUES (pg_backend_pid(), '"
        + listenerId + "') ON CONFLICT (pid) DO UPDATE SET engine = EXCLUDED.engine", names);
    // Registrations of backends that are gone, and listeners of older versions (which listen
    // without registering: their last statement is the LISTEN; a backend whose statements this
    // role may not see could be one) registered on their behalf.
    this.sweepListeners = !registry ? null : fill("DELETE FROM {listeners} AS l WHERE NOT EXISTS"
        + " (SELECT 1 FROM pg_stat_activity AS a WHERE a.pid = l.pid);\n"
        + "INSERT INTO {listeners} (pid, engine) SELECT pid, 'unregistered' FROM pg_stat_activity"
        + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        + " AND (backend_type IS NULL OR backend_type = 'client backend')"
        + " AND query IN ('LISTEN " + dialect.quote(channel).replace("'", "''") + "', '<insufficient privilege>')"
        + " ON CONFLICT (pid) DO NOTHING", names);
    this.createSchema = dialect.createSchemaSql() == null || schema == null
        ? null : fill(dialect.createSchemaSql(), names);
    this.createVersions = fill(dialect.createVersionsTableSql(), names);
    this.migrations = dialect.migrations().stream()
        .map(step -> step.stream().map(s -> fill(s, names)).toList())
        .toList();
    this.schemaVersion = fill("SELECT MAX(version) FROM {versions}", names);
    this.recordSchemaVersion = fill("INSERT INTO {versions} (version) VALUES (?)", names);
    this.snapshotVersion = fill("SELECT version FROM {meta} WHERE id = 1", names);
    this.lockVersion = fill("SELECT version FROM {meta} WHERE id = 1 FOR UPDATE", names);
    this.writeVersion = fill("UPDATE {meta} SET version = ? WHERE id = 1", names);
    this.lockAndBumpVersion = dialect.lockAndBumpVersionSql() == null
        ? null : fill(dialect.lockAndBumpVersionSql(), names);
    this.get = fill("SELECT v FROM {kv} WHERE k = ?", names);
    this.scanForward = fill("SELECT k, v FROM {kv} WHERE k >= ? AND k < ? AND v IS NOT NULL"
        + " ORDER BY k LIMIT ?", names);
    this.scanForwardAfter = fill("SELECT k, v FROM {kv} WHERE k > ? AND k < ? AND v IS NOT NULL"
        + " ORDER BY k LIMIT ?", names);
    this.scanReverse = fill("SELECT k, v FROM {kv} WHERE k >= ? AND k < ? AND v IS NOT NULL"
        + " ORDER BY k DESC LIMIT ?", names);
    this.clearsSince = fill("SELECT b, e FROM {clears} WHERE ver > ?", names);
    this.rangeChanged = fill("SELECT k FROM {kv} WHERE k >= ? AND k < ? AND ver > ? LIMIT 1", names);
    this.deleteRange = fill("DELETE FROM {kv} WHERE k >= ? AND k < ?", names);
    this.insertClear = fill("INSERT INTO {clears} (ver, b, e) VALUES (?, ?, ?)", names);
    this.upsert = fill(dialect.upsertSql(), names);
    this.gcTombstones = fill(dialect.gcTombstonesSql(), names);
    this.gcClears = fill("DELETE FROM {clears} WHERE ver <= ?", names);
    this.minHold = fill("SELECT MIN(ver) FROM {holds}", names);
    this.oneHold = fill("SELECT ver FROM {holds} WHERE name = ?", names);
    this.allHolds = fill("SELECT name, ver FROM {holds}", names);
    this.moveHold = fill("UPDATE {holds} SET ver = ? WHERE name = ? AND ver <= ?", names);
    this.deleteHold = fill("DELETE FROM {holds} WHERE name = ?", names);
    String changes = "SELECT ver, kind, seq, t, k, v FROM {changes} WHERE ver > ? AND ver <= ?";
    this.changesFirst = fill(changes + " ORDER BY ver, kind, seq LIMIT ?", names);
    this.changesNext = fill(changes + " AND (ver, kind, seq) > (?, ?, ?) ORDER BY ver, kind, seq LIMIT ?", names);
    this.insertChange = fill("INSERT INTO {changes} (ver, kind, seq, t, k, v) VALUES (?, ?, ?, ?, ?, ?)", names);
    this.holdsExist = fill("SELECT COUNT(*) FROM {holds}", names);
    this.changesFrom = fill("SELECT changes_from FROM {meta} WHERE id = 1", names);
    this.gcChanges = fill("DELETE FROM {changes} WHERE ver <= ?", names);
    if (dialect == Dialect.POSTGRESQL) {
      // Parallel commits (issue 16, see PipelinedCommit): the store lock, the key locks, a
      // version from the sequence, then under those locks one conflict query judged by the
      // snapshot's transaction ids: range clears by writers the snapshot does not see
      // (checked against the write set by the client), the first written point whose current
      // row such a writer wrote, the first such key inside a cleared range.
      // The fourth column is the commit's stamp version (COMMIT_ORDERED_KEYS): its transaction
      // id plus the store's stamp base (see VersionCut).
      String check = "SELECT nextval('{seq}'::regclass), EXISTS (SELECT 1 FROM {holds}),"
          + " pg_current_xact_id()::text,"
          + " pg_current_xact_id()::text::bigint + (SELECT stamp_base FROM {meta} WHERE id = 1);\n"
          + fill("SELECT 1, b, e FROM {clears} WHERE xid >= pg_snapshot_xmin(current_setting('tito.snapshot')::pg_snapshot)"
              + " AND NOT pg_visible_in_snapshot(xid, current_setting('tito.snapshot')::pg_snapshot)"
              // One index probe per written key (the LIMIT inside the lateral subquery keeps
              // it a parameterised nested loop): "k = ANY(?) ... LIMIT 1" let a plan cached while
              // the table was small read the whole table on every commit (see DESIGN-NOTES).
              + " UNION ALL (SELECT 2, x.k, NULL::bytea FROM unnest(?::bytea[]) AS w(k)"
              + " CROSS JOIN LATERAL (SELECT k, xid FROM {kv} WHERE k = w.k LIMIT 1) AS x"
              + " WHERE NOT pg_visible_in_snapshot(x.xid, current_setting('tito.snapshot')::pg_snapshot) LIMIT 1)"
              + " UNION ALL (SELECT 3, x.k, NULL::bytea FROM unnest(?::bytea[], ?::bytea[]) AS r(b, e)"
              + " CROSS JOIN LATERAL (SELECT k FROM {kv} WHERE k >= r.b AND k < r.e"
              + " AND NOT pg_visible_in_snapshot(xid, current_setting('tito.snapshot')::pg_snapshot) LIMIT 1) AS x LIMIT 1)", names);
      String keyLocks = "SELECT count(pg_advisory_xact_lock(h)) FROM unnest(?::bigint[]) AS u(h);\n";
      // The snapshot's ids, kept in a session setting across the COMMIT that ends the snapshot
      // transaction: the ids given (a commit that left the in-snapshot path, see SnapshotCommit),
      // else the snapshot transaction's own (in REPEATABLE READ pg_current_snapshot() is the
      // transaction's snapshot; it is taken now if the transaction read nothing).
      String begin = "SELECT set_config('tito.snapshot', COALESCE(?::text, pg_current_snapshot()::text), false);\n"
          + "COMMIT;\nBEGIN ISOLATION LEVEL READ COMMITTED;\n";
      String shared = "SELECT pg_advisory_xact_lock_shared(?, ?);\n";
      // A range clear also updates the version row, which tells in-snapshot commits whose
      // snapshot misses it to take this path (see SnapshotCommit).
      String exclusive = fill("SELECT pg_advisory_xact_lock(?, ?);\n"
          + "UPDATE {meta} SET version = version WHERE id = 1;\n", names);
      this.pipelinedLock = begin + shared + keyLocks + fill(check, names);
      this.pipelinedLockExclusive = begin + exclusive + keyLocks + fill(check, names);
      this.touchVersionRow = fill("UPDATE {meta} SET version = version WHERE id = 1", names);
      this.anyTombstone = fill("SELECT 1 FROM {dead} WHERE ver <= ? LIMIT 1", names);
      this.purgeTombstones = fill("DELETE FROM {kv} WHERE v IS NULL;\nDELETE FROM {dead}", names);
      this.upsertInCte = UPSERT_SET + ")";
      this.upsertInCteRecording = UPSERT_SET + RECORD_RETURNING + "), dead AS (" + fill(RECORD_INSERT, names) + ")";
      // Commits of point writes and stamped keys inside the snapshot transaction (SnapshotCommit).
      // The version row's visible version tells whether the row was updated by a transaction the
      // snapshot misses (its xmax, widened to 64 bits, committed): then the commit must take
      // the READ COMMITTED path, and its writes and notifications are skipped (the setting
      // tito.commit, which gates them, is then empty). The transaction's expectations (reads
      // deferred into the commit, Transaction#expect) are judged in the snapshot by the same
      // statement: the first key whose value differs, and then nothing is written either.
      String prepare = "SELECT nextval('{seq}'::regclass), EXISTS (SELECT 1 FROM {holds}), f.stamp, f.hole,"
          + " CASE WHEN f.hole THEN pg_current_snapshot()::text END,"
          + " set_config('tito.commit', CASE WHEN f.hole OR f.mismatch IS NOT NULL THEN '' ELSE ? END, false),"
          + " set_config('tito.stamp', f.stamp::text, false), f.mismatch"
          + " FROM (SELECT c.n + m.stamp_base AS stamp,"
          + " (SELECT e.k FROM unnest(?::bytea[], ?::bytea[], ?::boolean[]) AS e(k, v, present)"
          + " LEFT JOIN LATERAL (SELECT v FROM {kv} WHERE k = e.k LIMIT 1) AS x ON true"
          + " WHERE CASE WHEN e.present THEN x.v IS DISTINCT FROM e.v ELSE x.v IS NOT NULL END"
          + " LIMIT 1) AS mismatch, CASE WHEN m.x = 0 THEN false"
          + " ELSE pg_xact_status((c.n + ((m.x - c.n) % 4294967296 + 6442450944) % 4294967296"
          + " - 2147483648)::text::xid8) IN ('committed', 'in progress') END"
          // A commit sent without the change log's insert (snapshotApplyLean) must not write
          // while the snapshot sees a hold: it leaves as for a hole.
          + " OR (?::boolean AND EXISTS (SELECT 1 FROM {holds})) AS hole"
          + " FROM (SELECT xmax::text::bigint AS x, stamp_base FROM {meta} WHERE id = 1) AS m,"
          + " (SELECT pg_current_xact_id()::text::bigint AS n) AS c) AS f";
      this.snapshotPrepare = shared + keyLocks + fill(prepare, names);
      // Points and stamped keys (prefix, stamp version, order) in one upsert, and while a hold
      // exists the same in the change log, each gated by tito.commit; then COMMIT.
      String upsertW = "WITH w AS (SELECT k, v FROM unnest(?::bytea[], ?::bytea[]) AS x(k, v)"
          + " UNION ALL SELECT p || int8send(current_setting('tito.stamp')::bigint)"
          + " || substring(int4send(o) FROM 3 FOR 2), v FROM unnest(?::bytea[], ?::bytea[], ?::int[]) AS s(p, v, o)),"
          + " up AS (INSERT INTO {kv} (k, v, ver, xid) SELECT k, v, currval('{seq}'::regclass),"
          + " pg_current_xact_id() FROM w WHERE current_setting('tito.commit') = ?"
          + UPSERT_SET + ")";
      String write = upsertW + " " + CHANGE_LOG_OF_W + ";\nCOMMIT";
      // The same without the change log: its insert (a window function, a sort and a second
      // table) costs the executor's set-up in every commit even when no hold gates it in.
      String writeLean = upsertW + " SELECT 1;\nCOMMIT";
      this.snapshotApply = fill(write, names);
      this.snapshotApplyNotify = snapshotApply + notifyTransaction;
      this.snapshotApplyLean = fill(writeLean, names);
      this.snapshotApplyLeanNotify = snapshotApplyLean + notifyTransaction;
      this.snapshotOutcome = "SELECT current_setting('tito.commit', true), current_setting('tito.stamp', true)";
      // Sequenced appends in one round (AppendCommit): after the locks, one statement judges the
      // point writes by the snapshot's ids and finds a "hole" (the version row's live version
      // written by a transaction the snapshot misses: a range clear, a collector pass, a bulk
      // load, a hold or a stamp floor since the snapshot), and gates the writes on neither;
      // the next one reads the counters (its READ COMMITTED snapshot is taken under their key
      // locks), builds the appended keys on the server (prefix || tuple(base + offset)), writes
      // them with the points and the counters, and returns the bases.
      String snap = "current_setting('tito.snapshot')::pg_snapshot";
      // Expectations (deferred reads): the first expected key whose value differs, judged in the
      // snapshot; a blind commit judges them in the check's own snapshot, one that read in its
      // REPEATABLE READ snapshot before the COMMIT that ends it (kept in a session setting).
      String mismatchOf = "(SELECT e.k FROM unnest(?::bytea[], ?::bytea[]) WITH ORDINALITY AS e(k, v, i)"
          + " LEFT JOIN LATERAL (SELECT v FROM {kv} WHERE k = e.k LIMIT 1) AS x ON true"
          + " WHERE x.v IS DISTINCT FROM e.v ORDER BY e.i LIMIT 1)";
      String mismatchInSnapshot = "SELECT set_config('tito.mismatch', COALESCE(encode(" + mismatchOf
          + ", 'hex'), ''), false);\n";
      String appendCheck = "WITH g AS MATERIALIZED (SELECT nextval('{seq}'::regclass) AS ver,"
          + " ?::boolean AS lean, {mismatch} AS mismatch, EXISTS (SELECT 1 FROM {holds}) AS holds,"
          + " NOT pg_visible_in_snapshot((c.n + ((m.x - c.n) % 4294967296 + 6442450944) % 4294967296"
          + " - 2147483648)::text::xid8, " + snap + ") AS hole,"
          + " (SELECT x.k FROM unnest(?::bytea[]) AS w(k)"
          + " CROSS JOIN LATERAL (SELECT k, xid FROM {kv} WHERE k = w.k LIMIT 1) AS x"
          + " WHERE NOT pg_visible_in_snapshot(x.xid, " + snap + ") LIMIT 1) AS changed"
          + " FROM (SELECT xmin::text::bigint AS x FROM {meta} WHERE id = 1) AS m,"
          + " (SELECT pg_current_xact_id()::text::bigint AS n) AS c)"
          // A lean commit (no change log insert) leaves as for a hole while a hold exists.
          + " SELECT g.hole OR (g.lean AND g.holds), g.changed, g.holds, g.mismatch, set_config('tito.commit',"
          + " CASE WHEN g.hole OR (g.lean AND g.holds) OR g.changed IS NOT NULL OR g.mismatch IS NOT NULL"
          + " THEN '' ELSE ? END, false),"
          // The write statement below, planned from here on with its generic plan (for this
          // transaction only): with plan_cache_mode auto PostgreSQL kept a custom plan, planned at
          // every execution (~0.5 ms of server CPU per publish), because the generic plan's
          // estimate (10 rows per unnest of a parameter) looks costlier than the custom plans'
          // (1 row). The generic plan is the same shape: an index probe per counter (the lateral
          // LIMIT 1, checked on an empty store by PostgresCommitPlanTest), small hash or loop joins.
          + " set_config('plan_cache_mode', 'force_generic_plan', true)";
      // Relaxed durability (Capability.RELAXED_DURABILITY): the data COMMIT without the WAL flush.
      String appendCheckRelaxed = appendCheck + ", set_config('synchronous_commit', 'off', true) FROM g;\n";
      appendCheck += " FROM g;\n";
      String appendWrite = "WITH cn AS MATERIALIZED (SELECT c.i, c.k, c.n, COALESCE(('x' || lpad(encode("
          + "substring(t.v FROM 2), 'hex'), 16, '0'))::bit(64)::bigint, 0) AS base"
          + " FROM unnest(?::bytea[], ?::int[]) WITH ORDINALITY AS c(k, n, i)"
          // A lateral probe with its own LIMIT: an index probe per counter under any plan, also a
          // generic one cached while the table was empty (see PostgresCommitPlanTest).
          + " LEFT JOIN LATERAL (SELECT v FROM {kv} WHERE k = c.k LIMIT 1) AS t ON true),"
          + " w AS MATERIALIZED (SELECT k, v FROM unnest(?::bytea[], ?::bytea[]) AS x(k, v)"
          + " UNION ALL SELECT a.p || " + tuplePosition("cn.base + a.o") + ", a.v"
          + " FROM unnest(?::bytea[], ?::bytea[], ?::int[], ?::int[]) AS a(p, v, ci, o)"
          + " JOIN cn ON cn.i = a.ci"
          + " UNION ALL SELECT cn.k, " + tuplePosition("cn.base + cn.n") + " FROM cn),"
          + " up AS (INSERT INTO {kv} (k, v, ver, xid) SELECT k, v, currval('{seq}'::regclass),"
          + " pg_current_xact_id() FROM w WHERE current_setting('tito.commit') = ?"
          + UPSERT_SET + ")";
      String appendLog = ", ch AS (" + CHANGE_LOG_OF_W + ")";
      String appendEnd = " SELECT set_config('tito.bases', (SELECT string_agg(base::text, ',' ORDER BY i) FROM cn), false);\n"
          + "COMMIT";
      String appendBegin = "SELECT set_config('tito.snapshot', COALESCE(?::text, pg_current_snapshot()::text), false);\n"
          + "COMMIT;\nBEGIN ISOLATION LEVEL READ COMMITTED;\n";
      // A transaction that read nothing (blind) has no snapshot transaction to end: its commit
      // transaction is the one the driver begins, made READ COMMITTED before its first statement,
      // and its snapshot is the check statement's own, taken after the locks (a snapshot at
      // least as fresh as at begin, which the engine contract allows): nothing committed before
      // it can conflict, and no clear can commit between it and the writes (shared store lock).
      String blindBegin = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\n";
      this.appendCommits = new String[32];
      for (int form = 0; form < 32; form++) {
        boolean expects = (form & 16) != 0;
        boolean blind = (form & 8) != 0;
        boolean relaxed = (form & 4) != 0;
        boolean notify = (form & 2) != 0;
        boolean lean = (form & 1) != 0;
        String formCheck = (relaxed ? appendCheckRelaxed : appendCheck).replace("{mismatch}",
            !expects ? "NULL::bytea" : blind ? mismatchOf
                : "decode(NULLIF(current_setting('tito.mismatch'), ''), 'hex')");
        String formBegin = blind ? blindBegin : (expects ? mismatchInSnapshot : "") + appendBegin;
        appendCommits[form] = fill(formBegin, names) + shared + keyLocks
            + fill((blind ? formCheck.replace(snap, "pg_current_snapshot()") : formCheck) + appendWrite
                + (lean ? "" : appendLog) + appendEnd, names) + (notify ? notifyTransaction : "");
      }
      this.appendCommit = appendCommit(false, false, false, false, false);
      this.appendOutcome = "SELECT current_setting('tito.commit', true), current_setting('tito.bases', true)";
      // Sequenced appends' counters, read by a statement of its own after the key locks (its READ
      // COMMITTED snapshot is taken then), so it sees their latest committed values.
      String counters = fill(";\nSELECT k, v FROM {kv} WHERE k = ANY(?::bytea[])", names);
      this.pipelinedLockCounters = pipelinedLock + counters;
      this.pipelinedLockExclusiveCounters = pipelinedLockExclusive + counters;
      // After the data commit, in a transaction of its own that does not wait for a WAL flush:
      // PostgreSQL serialises every committing transaction that notified, flush included, on
      // one cluster-wide lock, which would serialise all publishing commits again.
      // The setting and the notifications in one statement (the setting holds until COMMIT).
      this.notifyAfterCommit = "SELECT set_config('synchronous_commit', 'off', true),"
          + " count(pg_notify(?, c)) FROM unnest(?::text[]) AS n(c) WHERE " + othersListen + ";\nCOMMIT";
      String upsertPoints = "INSERT INTO {kv} (k, v, ver, xid) SELECT k, v, ?, pg_current_xact_id()"
          + " FROM unnest(?::bytea[], ?::bytea[]) AS x(k, v)" + UPSERT_SET;
      this.upsertPoints = fill(upsertPoints + ";\n", names);
      this.upsertPointsRecording = fill("WITH up AS (" + upsertPoints + RECORD_RETURNING + ") "
          + RECORD_INSERT + ";\n", names);
      String apply = "DELETE FROM {kv} AS t USING unnest(?::bytea[], ?::bytea[]) AS r(b, e)"
          + " WHERE t.k >= r.b AND t.k < r.e;\n"
          + "INSERT INTO {clears} (ver, b, e, xid) SELECT ?, b, e, pg_current_xact_id()"
          + " FROM unnest(?::bytea[], ?::bytea[]) AS r(b, e);\n"
          + upsertPoints + ";\n";
      this.pipelinedApply = fill(apply + "COMMIT", names);
      // While a hold exists: the same, plus the commit's ranges (kind 0, end in v) and points
      // (kind 1, NULL for a clear) in the change log, in the same transaction.
      this.pipelinedApplyLogged = fill(apply
          + "INSERT INTO {changes} (ver, kind, seq, t, k, v) SELECT ?, 0, n::int, ?, b, e"
          + " FROM unnest(?::bytea[], ?::bytea[]) WITH ORDINALITY AS r(b, e, n);\n"
          + "INSERT INTO {changes} (ver, kind, seq, t, k, v) SELECT ?, 1, n::int, ?, k, v"
          + " FROM unnest(?::bytea[], ?::bytea[]) WITH ORDINALITY AS x(k, v, n);\n"
          + "COMMIT", names);
      // The notifications' own transaction pipelined after the data COMMIT (same round trip).
      String notify = ";\nBEGIN;\n" + notifyAfterCommit;
      this.pipelinedApplyNotify = pipelinedApply + notify;
      this.pipelinedApplyLoggedNotify = pipelinedApplyLogged + notify;
      this.xactStatus = "SELECT pg_xact_status(?::xid8)";
      String base = "(SELECT stamp_base FROM {meta} WHERE id = 1)";
      this.beginSnapshot = fill("SELECT pg_current_snapshot()::text,"
          + " pg_snapshot_xmin(pg_current_snapshot())::text::bigint + " + base, names);
      this.snapshotThenGet = beginSnapshot + ";\n" + get;
      this.stampHorizon = fill("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint + " + base, names);
      // The lowest transaction id of a transaction holding (or waiting for) the store lock, from
      // one read of the lock table (pg_locks reads it at once), else the next id to be assigned
      // as of the statement's start. pg_locks shows 32-bit ids: each is widened by its signed
      // distance from the 64-bit next id (running ids are within 2^31 of it).
      this.stampHorizonBeforeSnapshot = fill("WITH l AS MATERIALIZED (SELECT locktype, pid, classid, objid,"
          + " objsubid, transactionid, mode, granted FROM pg_locks),"
          + " s AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS n)"
          + " SELECT LEAST(s.n, (SELECT min(s.n + ((t.transactionid::text::bigint - s.n) % 4294967296"
          + " + 6442450944) % 4294967296 - 2147483648) FROM l AS a JOIN l AS t ON t.pid = a.pid"
          + " AND t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted"
          + " WHERE a.locktype = 'advisory' AND a.classid::bigint = ? AND a.objid::bigint = ?"
          + " AND a.objsubid = 2)) + " + base + " FROM s;\n"
          + "COMMIT;\nBEGIN ISOLATION LEVEL REPEATABLE READ", names);
      this.cutSnapshot = fill("SELECT pg_advisory_lock(?, ?);\nCOMMIT;\n"
          + "BEGIN ISOLATION LEVEL REPEATABLE READ;\n"
          + "SELECT last_value, pg_current_snapshot()::text,"
          + " pg_snapshot_xmin(pg_current_snapshot())::text::bigint + (SELECT stamp_base FROM {meta} WHERE id = 1)"
          + " FROM {seq};\n"
          + "SELECT pg_advisory_unlock(?, ?)", names);
      this.lockStore = "SELECT pg_advisory_xact_lock(?, ?)";
      this.nextVersionAndXid = fill("SELECT nextval('{seq}'::regclass), pg_current_xact_id()::text::bigint", names);
      this.tryLockStore = "SELECT pg_try_advisory_xact_lock(?, ?)";
      this.lastVersion = fill("SELECT last_value FROM {seq}", names);
    } else {
      this.pipelinedLock = null;
      this.pipelinedLockExclusive = null;
      this.appendCommit = null;
      this.appendCommits = null;
      this.appendOutcome = null;
      this.snapshotPrepare = null;
      this.snapshotApply = null;
      this.snapshotApplyNotify = null;
      this.snapshotApplyLean = null;
      this.snapshotApplyLeanNotify = null;
      this.snapshotOutcome = null;
      this.touchVersionRow = null;
      this.anyTombstone = null;
      this.purgeTombstones = null;
      this.upsertInCte = null;
      this.upsertInCteRecording = null;
      this.pipelinedLockCounters = null;
      this.pipelinedLockExclusiveCounters = null;
      this.notifyAfterCommit = null;
      this.pipelinedApply = null;
      this.upsertPoints = null;
      this.upsertPointsRecording = null;
      this.pipelinedApplyLogged = null;
      this.pipelinedApplyNotify = null;
      this.pipelinedApplyLoggedNotify = null;
      this.xactStatus = null;
      this.beginSnapshot = null;
      this.stampHorizon = null;
      this.snapshotThenGet = null;
      this.stampHorizonBeforeSnapshot = null;
      this.cutSnapshot = null;
      this.lockStore = null;
      this.nextVersionAndXid = null;
      this.tryLockStore = null;
      this.lastVersion = null;
    }
    if (dialect == Dialect.POSTGRESQL) {
      // A commit beginning now gets a transaction id at or above the snapshot's xmax (ids are
      // assigned in its lock round, see PipelinedCommit) and stamps it plus the base.
      this.nextStampVersion = fill("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
          + " + (SELECT stamp_base FROM {meta} WHERE id = 1)", names);
      // Run after taking the store lock exclusively: this transaction's id is below every id a
      // later stamped commit gets, so a base of (floor - id) puts their stamps above the floor.
      this.raiseStampFloor = fill("UPDATE {meta} SET stamp_base = GREATEST(stamp_base,"
          + " ? - pg_current_xact_id()::text::bigint) WHERE id = 1", names);
    } else {
      // The next commit stamps the version row's value plus one.
      this.nextStampVersion = fill("SELECT version + 1 FROM {meta} WHERE id = 1", names);
      this.raiseStampFloor = fill("UPDATE {meta} SET version = GREATEST(version, ?) WHERE id = 1", names);
    }
    this.insertHold = fill(dialect == Dialect.POSTGRESQL
        ? "INSERT INTO {holds} (name, ver) SELECT ?, last_value FROM {seq}"
        : "INSERT INTO {holds} (name, ver) SELECT ?, version FROM {meta} WHERE id = 1", names);
    String store = (schema == null ? "" : schema) + "." + table;
    this.storeLockId = store.hashCode();
    this.keyLockSeed = KeyLocks.hash(0, store.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    this.pointsChangedPrefix = fill("SELECT k FROM {kv} WHERE ver > ? AND k IN (", names);
    this.getManyPrefix = fill("SELECT k, v FROM {kv} WHERE k IN (", names);
    this.versionRow = fill("SELECT NULL AS k, CAST(version AS CHAR) AS v FROM {meta} WHERE id = 1", names);
    this.versionRowTagged = fill("SELECT -1 AS q, NULL AS k, CAST(version AS CHAR) AS v FROM {meta} WHERE id = 1", names);
    this.multiCommitBump = fill("UPDATE {meta} SET version = LAST_INSERT_ID(version + 1) WHERE id = 1", names);
    this.multiCommitReadsVersion = "SELECT 5 AS t, NULL AS x, NULL AS y, LAST_INSERT_ID() AS n";
    this.multiCommitReadsClears = fill("SELECT 0, b, e, NULL FROM {clears} WHERE ver > ?", names);
    this.multiCommitPointsPrefix = fill("SELECT 1, k, NULL, NULL FROM {kv} WHERE ver > ? AND k IN (", names);
    this.multiCommitReadsRange = fill("(SELECT 2, k, NULL, NULL FROM {kv} WHERE k >= ? AND k < ? AND ver > ? LIMIT 1)", names);
    this.multiCommitCountersPrefix = fill("SELECT 3, k, v, NULL FROM {kv} WHERE k IN (", names);
    this.multiCommitExpectedPrefix = fill("SELECT 6 AS t, k AS x, v AS y, NULL AS n FROM {kv} WHERE k IN (", names);
    this.multiCommitReadsHold = fill("(SELECT 4, NULL, NULL, NULL FROM {holds} LIMIT 1)", names);
    this.groupReadsClears = fill("SELECT 0, b, e, ver FROM {clears} WHERE ver > ?", names);
    this.groupPointsPrefix = fill("SELECT 1, k, NULL, ? FROM {kv} WHERE ver > ? AND k IN (", names);
    this.groupExpectedPrefix = fill("SELECT 6, k, v, ? FROM {kv} WHERE k IN (", names);
  }

  /**
   * PostgreSQL: {@code statement} (a commit pipeline built from this object's statements, same
   * parameters) with its upsert of the key table also recording each tombstone it writes in the
   * tombstone records table ({@code {dead}}: version, key), in the same statement. For commits
   * that clear a point; the others skip the extra work. Tombstones are recorded because no index
   * of the key table finds them any more: with its primary key as its only index, an update of
   * an existing key can be HOT.
   *
   * @throws IllegalStateException if {@code statement} holds no upsert of the key table
   */
  String recordingTombstones(String statement) {
    return recording.computeIfAbsent(statement, s -> {
      String out = s.replace(upsertInCte, upsertInCteRecording).replace(upsertPoints, upsertPointsRecording);
      if (out.equals(s)) {
        throw new IllegalStateException("no upsert of the key table in the statement");
      }
      return out;
    });
  }

  /** PostgreSQL: the one-round append commit in the form asked for (see {@link #appendCommits}). */
  String appendCommit(boolean relaxed, boolean notify, boolean lean, boolean blind, boolean expects) {
    return appendCommits[(expects ? 16 : 0) + (blind ? 8 : 0) + (relaxed ? 4 : 0) + (notify ? 2 : 0)
        + (lean ? 1 : 0)];
  }

  /**
   * {@code statement} as {@link #recordingTombstones} when {@code writes} clear a point (leave a
   * tombstone), else {@code statement} itself: every commit path that upserts the key table
   * picks its statement through this.
   */
  String recordingTombstonesOf(String statement, io.tito.spi.WriteSet writes) {
    return clearsAPoint(writes) ? recordingTombstones(statement) : statement;
  }

  /** Whether {@code writes} clear a point, i.e. leave a tombstone. */
  private static boolean clearsAPoint(io.tito.spi.WriteSet writes) {
    return writes.points().containsValue(null);
  }

  /**
   * MariaDB's two-round commit ({@link MultiStatementCommit}): the branches of the one statement
   * that reads under the version row lock, each row tagged with what it is.
   */
  String multiCommitReadsPoints(int n) {
    return inList(multiCommitPointsPrefix, n);
  }

  String multiCommitReadsCounters(int n) {
    return inList(multiCommitCountersPrefix, n);
  }

  /**
   * A commit group's member's written points changed after its snapshot, tagged 1, the member's
   * index in the fourth column (parameters: the index, the snapshot version, {@code n} keys).
   */
  String groupReadsPoints(int n) {
    return inList(groupPointsPrefix, n);
  }

  /** A commit group's member's expected keys' rows, tagged 6, the member's index fourth. */
  String groupReadsExpected(int n) {
    return inList(groupExpectedPrefix, n);
  }

  /** The rows (key, value) of {@code n} keys the transaction expects, tagged 6. */
  String multiCommitReadsExpected(int n) {
    return inList(multiCommitExpectedPrefix, n);
  }

  /**
   * One {@code UNION ALL} of a bounded scan per direction in {@code reverse}, each a parenthesised
   * {@link #scanForward} or {@link #scanReverse} (placeholders: begin, end, limit) whose rows carry
   * the scan's index as a first column {@code q}. Rows come back grouped by nothing in particular:
   * the caller groups them by {@code q} and orders each group by key.
   */
  String scanMany(boolean[] reverse) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < reverse.length; i++) {
      if (i > 0) {
        sql.append(" UNION ALL ");
      }
      String one = reverse[i] ? scanReverse : scanForward;
      sql.append("(SELECT ").append(i).append(" AS q, ").append(one.substring("SELECT ".length()))
          .append(')');
    }
    return sql.toString();
  }

  /** {@code SELECT k, v ... WHERE k IN (?, ..., ?)} with {@code n} key placeholders. */
  String getMany(int n) {
    return inList(getManyPrefix, n);
  }

  /** {@code SELECT k ... WHERE ver > ? AND k IN (?, ..., ?)} with {@code n} key placeholders. */
  String pointsChanged(int n) {
    return inList(pointsChangedPrefix, n);
  }

  /**
   * {@code single}, an {@code INSERT} with one {@code VALUES (?, ...)} row, with {@code n} such
   * rows (whatever follows the row, such as {@code ON DUPLICATE KEY UPDATE}, kept).
   */
  static String multiRow(String single, int n) {
    int start = single.indexOf("VALUES (") + "VALUES ".length();
    int end = single.indexOf(')', start) + 1;
    String row = single.substring(start, end);
    StringBuilder sb = new StringBuilder(single.length() + (row.length() + 2) * n);
    sb.append(single, 0, start);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(row);
    }
    return sb.append(single, end, single.length()).toString();
  }

  private static String inList(String prefix, int n) {
    StringBuilder sb = new StringBuilder(prefix.length() + 3 * n + 1);
    sb.append(prefix);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    return sb.append(')').toString();
  }

  private static String fill(String template, Map<String, String> names) {
    String out = template;
    for (Map.Entry<String, String> e : names.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  /**
   * SQL for the tuple encoding of the non-negative {@code bigint} {@code n} (an expression),
   * as {@code Tuple.of(n).pack()}: {@code 0x14} for zero, else {@code 0x14 + length} and the
   * value's minimal big-endian bytes.
   */
  static String tuplePosition(String n) {
    String len = "(CASE WHEN (" + n + ") < 256 THEN 1 WHEN (" + n + ") < 65536 THEN 2"
        + " WHEN (" + n + ") < 16777216 THEN 3 WHEN (" + n + ") < 4294967296 THEN 4"
        + " WHEN (" + n + ") < 1099511627776 THEN 5 WHEN (" + n + ") < 281474976710656 THEN 6"
        + " WHEN (" + n + ") < 72057594037927936 THEN 7 ELSE 8 END)";
    return "(CASE WHEN (" + n + ") = 0 THEN '\\x14'::bytea ELSE set_byte('\\x00'::bytea, 0, 20 + " + len
        + ") || substring(int8send(" + n + ") FROM 9 - " + len + ") END)";
  }
}
