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
  final String changedFirst;
  final String changedAfter;
  /**
   * PostgreSQL's two commit pipelines (see {@link PipelinedCommit}); {@code null} on dialects
   * whose driver does not send a multi-statement prepared statement in one round.
   */
  final String pipelinedLock;
  final String pipelinedLockNotify;
  final String pipelinedApply;
  private final String pointsChangedPrefix;
  private final String getManyPrefix;

  /** Drops the store's tables, the key-value table last. */
  final List<String> dropTables;

  Statements(Dialect dialect, String schema, String table) {
    this(dialect, schema, table, table);
  }

  /** The statements of the tables named after {@code table}, notifying on {@code channel}. */
  Statements(Dialect dialect, String schema, String table, String channel) {
    this.dialect = dialect;
    String prefix = schema == null ? "" : dialect.quote(schema) + ".";
    Map<String, String> names = Map.of(
        "{kv}", prefix + dialect.quote(table),
        "{meta}", prefix + dialect.quote(table + "_meta"),
        "{clears}", prefix + dialect.quote(table + "_clears"),
        "{holds}", prefix + dialect.quote(table + "_holds"),
        "{versions}", prefix + dialect.quote(table + "_schema"),
        "{kvTombIndex}", dialect.quote(table + "_tombstones"),
        "{clearsIndex}", dialect.quote(table + "_clears_ver"),
        "{schema}", schema == null ? "" : dialect.quote(schema));
    this.kvTable = names.get("{kv}");
    // MariaDB lock names hold at most 64 characters.
    this.lockName = "tito:" + Integer.toHexString((schema + "." + table).hashCode()) + ":" + table;
    this.channel = channel;
    this.dropTables = List.of("{meta}", "{clears}", "{holds}", "{versions}", "{kv}").stream()
        .map(t -> "DROP TABLE IF EXISTS " + names.get(t)).toList();
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
    this.insertHold = fill("INSERT INTO {holds} (name, ver) SELECT ?, version FROM {meta} WHERE id = 1", names);
    this.moveHold = fill("UPDATE {holds} SET ver = ? WHERE name = ? AND ver <= ?", names);
    this.deleteHold = fill("DELETE FROM {holds} WHERE name = ?", names);
    this.changedFirst = fill("SELECT k, v FROM {kv} WHERE ver > ? ORDER BY k LIMIT ?", names);
    this.changedAfter = fill("SELECT k, v FROM {kv} WHERE ver > ? AND k > ? ORDER BY k LIMIT ?", names);
    if (dialect == Dialect.POSTGRESQL) {
      String lockAndCheck = lockAndBumpVersion + ";\n"
          // Under the version row lock: range clears since the snapshot (checked against the
          // write set by the client), the first written point changed since, the first key
          // inside a cleared range changed since.
          + fill("SELECT 1, b, e FROM {clears} WHERE ver > ?"
              + " UNION ALL (SELECT 2, k, NULL::bytea FROM {kv} WHERE ver > ? AND k = ANY(?::bytea[]) LIMIT 1)"
              + " UNION ALL (SELECT 3, x.k, NULL::bytea FROM unnest(?::bytea[], ?::bytea[]) AS r(b, e)"
              + " CROSS JOIN LATERAL (SELECT k FROM {kv} WHERE k >= r.b AND k < r.e AND ver > ? LIMIT 1) AS x"
              + " LIMIT 1)", names);
      String begin = "COMMIT;\nBEGIN ISOLATION LEVEL READ COMMITTED;\n";
      this.pipelinedLock = begin + lockAndCheck;
      this.pipelinedLockNotify = begin + "SELECT pg_notify(?, c) FROM unnest(?::text[]) AS n(c);\n"
          + lockAndCheck;
      this.pipelinedApply = fill(
          "DELETE FROM {kv} AS t USING unnest(?::bytea[], ?::bytea[]) AS r(b, e)"
              + " WHERE t.k >= r.b AND t.k < r.e;\n"
              + "INSERT INTO {clears} (ver, b, e) SELECT ?, b, e FROM unnest(?::bytea[], ?::bytea[]) AS r(b, e);\n"
              + "INSERT INTO {kv} (k, v, ver) SELECT k, v, ? FROM unnest(?::bytea[], ?::bytea[]) AS x(k, v)"
              + " ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, ver = EXCLUDED.ver;\n"
              + "COMMIT", names);
    } else {
      this.pipelinedLock = null;
      this.pipelinedLockNotify = null;
      this.pipelinedApply = null;
    }
    this.pointsChangedPrefix = fill("SELECT k FROM {kv} WHERE ver > ? AND k IN (", names);
    this.getManyPrefix = fill("SELECT k, v FROM {kv} WHERE k IN (", names);
  }

  /** {@code SELECT k, v ... WHERE k IN (?, ..., ?)} with {@code n} key placeholders. */
  String getMany(int n) {
    return inList(getManyPrefix, n);
  }

  /** {@code SELECT k ... WHERE ver > ? AND k IN (?, ..., ?)} with {@code n} key placeholders. */
  String pointsChanged(int n) {
    return inList(pointsChangedPrefix, n);
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
}
