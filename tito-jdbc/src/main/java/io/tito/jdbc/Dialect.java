package io.tito.jdbc;

import java.util.List;
import java.util.Set;

/**
 * Everything that differs between SQL servers, as data: SQL templates and error codes. The logic
 * that uses them (transactions, commit, paging, migration) exists once.
 *
 * <p>Templates name tables with placeholders that {@link Statements} replaces by quoted, validated
 * identifiers: {@code {kv}} (keys and values), {@code {meta}} (commit version), {@code {clears}}
 * (recent range clears), {@code {holds}} (retention holds), {@code {changes}} (per-commit change
 * log while a hold exists), {@code {versions}} (applied schema migrations), {@code {seq}} (commit
 * versions on PostgreSQL), {@code {dead}} (PostgreSQL: the tombstone records, see {@link
 * TombstoneCollector}), {@code {kvTombIndex}}, {@code {clearsIndex}} and {@code {clearsXidIndex}}
 * (index names; {@code {kvTombIndexInSchema}} is the first with the store's schema, for {@code
 * DROP INDEX}). Every value travels as a bind parameter.
 *
 * @param maxKeySizeCeiling largest key the key column and its index accept.
 * @param defaultMaxKeySize default for {@link io.tito.spi.EngineLimits#maxKeySize()}.
 * @param defaultSchema schema used when none is configured; {@code null} means the connection's
 *     current one.
 * @param createSchemaSql creates the schema if needed; {@code null} if the dialect cannot (MariaDB:
 *     databases).
 * @param migrationLockSql takes a lock serialising migrations of one store (parameter: a name);
 *     yields 1 on success.
 * @param migrationUnlockSql releases it, or {@code null} if it ends with the transaction.
 * @param transactionalDdl whether DDL runs inside a transaction (PostgreSQL) or commits implicitly
 *     (MariaDB).
 * @param migrations migration steps: element {@code i} brings the schema from version {@code i} to
 *     {@code i + 1}.
 * @param upsertSql upsert of one row: parameters key, value (null for a tombstone), version.
 * @param commitPreludeSql statements that open the commit transaction before the version row is
 *     locked.
 * @param gcTombstonesSql deletes up to {@code 1000} tombstones at or below a version (every
 *     parameter is that version): either a {@code DELETE} (its count is both the batch size and
 *     the tombstones deleted) or a query yielding one row (records of the batch, tombstones
 *     deleted). Its own WHERE must state the whole condition, since READ COMMITTED re-evaluates
 *     only that WHERE on a row a concurrent commit changed.
 * @param readCommittedSql statements that make the next (or just begun) transaction READ COMMITTED;
 *     run before migrations and garbage collection.
 * @param notifySql sends a notification: parameters channel and payload; {@code null} if
 *     unsupported.
 * @param lockAndBumpVersionSql locks the version row and increments its version in one statement,
 *     yielding the version before the increment; {@code null} if the dialect cannot return rows
 *     from an update (the version row is then locked with {@code SELECT ... FOR UPDATE} and written
 *     by a second statement).
 * @param conflictStates SQLSTATEs meaning the transaction lost a race and may be retried.
 * @param conflictCodes vendor error codes meaning the same.
 * @param connectionStates SQLSTATEs (or their two-letter classes) meaning the connection or server
 *     went away.
 * @param connectionCodes vendor error codes meaning the same.
 */
record Dialect(
    String name,
    char quote,
    int maxKeySizeCeiling,
    int defaultMaxKeySize,
    String defaultSchema,
    String createSchemaSql,
    String createVersionsTableSql,
    String migrationLockSql,
    String migrationUnlockSql,
    boolean transactionalDdl,
    List<List<String>> migrations,
    String upsertSql,
    List<String> commitPreludeSql,
    String gcTombstonesSql,
    List<String> readCommittedSql,
    String notifySql,
    String lockAndBumpVersionSql,
    Set<String> conflictStates,
    Set<Integer> conflictCodes,
    Set<String> connectionStates,
    Set<Integer> connectionCodes) {

  static final Dialect POSTGRESQL = new Dialect(
      "postgresql",
      '"',
      2048,
      2048,
      "public",
      "CREATE SCHEMA IF NOT EXISTS {schema}",
      "CREATE TABLE IF NOT EXISTS {versions} (version integer PRIMARY KEY,"
          + " applied_at timestamptz NOT NULL DEFAULT now())",
      "SELECT 1 FROM pg_advisory_xact_lock(hashtext(?))",
      null,
      true,
      List.of(List.of(
          "CREATE TABLE IF NOT EXISTS {kv} (k bytea PRIMARY KEY, v bytea, ver bigint NOT NULL)",
          "CREATE INDEX IF NOT EXISTS {kvTombIndex} ON {kv} (ver) WHERE v IS NULL",
          "CREATE TABLE IF NOT EXISTS {meta} (id integer PRIMARY KEY, version bigint NOT NULL)",
          "INSERT INTO {meta} (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
          "CREATE TABLE IF NOT EXISTS {clears} (ver bigint NOT NULL, b bytea NOT NULL, e bytea NOT NULL)",
          "CREATE INDEX IF NOT EXISTS {clearsIndex} ON {clears} (ver)"),
          // 2: retention holds of the change feed (backups)
          List.of("CREATE TABLE IF NOT EXISTS {holds} (name varchar(100) PRIMARY KEY, ver bigint NOT NULL)"),
          // 3: parallel commits (issue 16): the writer's transaction id on every row and clear
          // record, and commit versions from a sequence that continues the version row's count.
          List.of("ALTER TABLE {kv} ADD COLUMN IF NOT EXISTS xid xid8",
              "ALTER TABLE {clears} ADD COLUMN IF NOT EXISTS xid xid8",
              "CREATE INDEX IF NOT EXISTS {clearsXidIndex} ON {clears} (xid)",
              "CREATE SEQUENCE IF NOT EXISTS {seq} MINVALUE 0 OWNED BY {kv}.ver",
              "SELECT setval('{seq}'::regclass, (SELECT version FROM {meta} WHERE id = 1), true)"),
          // 4: the per-commit change log, written while a hold exists (issue 15, exact PITR).
          // A store migrated with holds in place logs from the current version on: changes
          // before it exist only as net changes, which the feed refuses to serve.
          List.of("CREATE TABLE IF NOT EXISTS {changes} (ver bigint NOT NULL, kind smallint NOT NULL,"
                  + " seq integer NOT NULL, t bigint NOT NULL, k bytea NOT NULL, v bytea,"
                  + " PRIMARY KEY (ver, kind, seq))",
              "ALTER TABLE {meta} ADD COLUMN IF NOT EXISTS changes_from bigint NOT NULL DEFAULT 0",
              "UPDATE {meta} SET changes_from = (SELECT last_value FROM {seq})"
                  + " WHERE id = 1 AND EXISTS (SELECT 1 FROM {holds})"),
          // 5: stamped commits in parallel (issue 12): a stamp's version is the writer's
          // transaction id plus stamp_base; the base puts every new stamp above the stamps
          // taken from the sequence before (they are at most its last value).
          List.of("ALTER TABLE {meta} ADD COLUMN IF NOT EXISTS stamp_base bigint NOT NULL DEFAULT 0",
              "UPDATE {meta} SET stamp_base = GREATEST(stamp_base, (SELECT last_value FROM {seq}) + 1) WHERE id = 1"),
          // 6: tombstones recorded in a table of their own (issue 12), so that no index of the
          // key table covers the columns an update changes (v, ver): updates of existing keys
          // (stream headers, counters) can be HOT, with room left on each page for them. The
          // index is dropped first: its lock keeps writers out while the tombstones are copied.
          List.of("CREATE TABLE IF NOT EXISTS {dead} (ver bigint NOT NULL, k bytea NOT NULL, PRIMARY KEY (ver, k))",
              "DROP INDEX IF EXISTS {kvTombIndexInSchema}",
              "INSERT INTO {dead} (ver, k) SELECT ver, k FROM {kv} WHERE v IS NULL ON CONFLICT DO NOTHING",
              "ALTER TABLE {kv} SET (fillfactor = 90)"),
          // 7: the engines that listen for the store's notifications (ListenerRegistry), so that
          // a commit notifies only when another engine listens.
          List.of("CREATE TABLE IF NOT EXISTS {listeners} (pid integer PRIMARY KEY, engine text NOT NULL)")),
      "INSERT INTO {kv} (k, v, ver) VALUES (?, ?, ?)"
          + " ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, ver = EXCLUDED.ver",
      List.of("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"),
      // A batch of tombstone records; each deletes its key's row only if it is still that
      // tombstone (same version, NULL value), and goes itself. The kv DELETE's WHERE states the
      // whole condition: READ COMMITTED re-checks only it on a row that a concurrent commit
      // changed while the DELETE waited, and that commit may have made it live (or a newer
      // tombstone, whose own record stays).
      "WITH b AS MATERIALIZED (SELECT ver, k FROM {dead} WHERE ver <= ? ORDER BY ver LIMIT 1000),"
          + " t AS (DELETE FROM {kv} AS t USING b WHERE t.k = b.k AND t.ver = b.ver AND t.v IS NULL RETURNING 1),"
          + " d AS (DELETE FROM {dead} AS d USING b WHERE d.ver = b.ver AND d.k = b.k RETURNING 1)"
          + " SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM t)",
      List.of("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"),
      "SELECT pg_notify(?, ?)",
      "UPDATE {meta} SET version = version + 1 WHERE id = 1 RETURNING version - 1",
      Set.of("40001", "40P01", "55P03"),
      Set.of(),
      // 57P0x: shutdown, crash, starting up, idle session timeout; 25P03: idle in transaction timeout
      Set.of("08", "57P01", "57P02", "57P03", "57P05", "25P03", "53300"),
      Set.of());

  static final Dialect MARIADB = new Dialect(
      "mariadb",
      '`',
      3072,
      3072,
      null,
      null,
      "CREATE TABLE IF NOT EXISTS {versions} (version INT NOT NULL PRIMARY KEY,"
          + " applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB",
      "SELECT GET_LOCK(?, 60)",
      "SELECT RELEASE_LOCK(?)",
      false,
      List.of(List.of(
          "CREATE TABLE IF NOT EXISTS {kv} (k VARBINARY(3072) NOT NULL, v LONGBLOB NULL,"
              + " ver BIGINT NOT NULL, PRIMARY KEY (k)) ENGINE=InnoDB ROW_FORMAT=DYNAMIC",
          "CREATE TABLE IF NOT EXISTS {meta} (id INT NOT NULL PRIMARY KEY, version BIGINT NOT NULL)"
              + " ENGINE=InnoDB",
          "INSERT IGNORE INTO {meta} (id, version) VALUES (1, 0)",
          "CREATE TABLE IF NOT EXISTS {clears} (ver BIGINT NOT NULL, b VARBINARY(3072) NOT NULL,"
              + " e VARBINARY(3072) NOT NULL, KEY {clearsIndex} (ver)) ENGINE=InnoDB"),
          // 2: retention holds of the change feed (backups)
          List.of("CREATE TABLE IF NOT EXISTS {holds} (name VARCHAR(100) NOT NULL PRIMARY KEY,"
              + " ver BIGINT NOT NULL) ENGINE=InnoDB"),
          // 3: the per-commit change log (see PostgreSQL's step 4)
          List.of("CREATE TABLE IF NOT EXISTS {changes} (ver BIGINT NOT NULL, kind SMALLINT NOT NULL,"
                  + " seq INT NOT NULL, t BIGINT NOT NULL, k VARBINARY(3072) NOT NULL, v LONGBLOB NULL,"
                  + " PRIMARY KEY (ver, kind, seq)) ENGINE=InnoDB ROW_FORMAT=DYNAMIC",
              "ALTER TABLE {meta} ADD COLUMN IF NOT EXISTS changes_from BIGINT NOT NULL DEFAULT 0",
              "UPDATE {meta} SET changes_from = version WHERE id = 1 AND EXISTS (SELECT 1 FROM {holds})")),
      "INSERT INTO {kv} (k, v, ver) VALUES (?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE v = VALUES(v), ver = VALUES(ver)",
      List.of(),
      "DELETE FROM {kv} WHERE v IS NULL AND ver <= ? LIMIT 1000",
      List.of("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"),
      null,
      null,
      Set.of("40001", "40P01"),
      // deadlock, lock wait timeout, record changed since last read (innodb_snapshot_isolation)
      Set.of(1213, 1205, 1020),
      Set.of("08", "70100"),
      // server shutdown, connection killed, server gone away, lost connection, can't connect
      Set.of(1053, 1927, 2006, 2013, 2002, 2003));

  /** Whether the dialect can send cross-process notifications. */
  boolean supportsNotifications() {
    return notifySql != null;
  }

  /** Quotes an identifier that already passed validation. */
  String quote(String identifier) {
    return quote + identifier + quote;
  }
}
