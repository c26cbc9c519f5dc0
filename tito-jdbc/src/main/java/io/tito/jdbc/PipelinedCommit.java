package io.tito.jdbc;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import io.tito.spi.WriteSet;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;

/**
 * The commit protocol of {@link CommitWriter} in two round trips, for PostgreSQL, whose driver
 * sends the statements of one multi-statement {@link PreparedStatement} in one pipeline (one
 * network round, one {@code Sync}; a failing statement skips the rest).
 *
 * <ol>
 *   <li><b>Lock and check.</b> {@code COMMIT} (ends the snapshot transaction), {@code BEGIN
 *       ISOLATION LEVEL READ COMMITTED}, the notifications (one {@code pg_notify} per channel
 *       from an array), the version row's {@code UPDATE ... RETURNING} (takes the row lock and the
 *       next version) and then, under that lock, one query for every conflict: range clears
 *       recorded after the snapshot, the first written point changed after it, and the first key
 *       inside a cleared range changed after it.</li>
 *   <li><b>Apply and commit.</b> The range deletes and clear records, every point in one {@code
 *       INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE}, and {@code COMMIT}.</li>
 * </ol>
 *
 * <p>Exactly the checks and writes of the statement-by-statement protocol, in the same order;
 * the version row lock is held from step 1's update to step 2's commit: one network round and
 * the server's work. Stamps are materialised between the steps, once the version is known.
 * Thread-safe (stateless per call).
 */
final class PipelinedCommit {

  private final Statements sql;
  private final Errors errors;
  private final long maxAgeNanos;
  private final OwnBackends ownBackends;

  PipelinedCommit(Statements sql, Errors errors, long maxAgeNanos, OwnBackends ownBackends) {
    this.sql = sql;
    this.errors = errors;
    this.maxAgeNanos = maxAgeNanos;
    this.ownBackends = ownBackends;
  }

  void commit(Connection c, long snapshotVersion, long beganNanos, WriteSet writes,
      Collection<String> channels) {
    long version;
    try {
      if (!channels.isEmpty()) {
        ownBackends.record(c);
      }
      long current = lockAndCheck(c, snapshotVersion, writes, channels);
      // After the conflict checks: the collector relies on this order (see TombstoneCollector).
      if (System.nanoTime() - beganNanos > maxAgeNanos) {
        throw new ConflictException("transaction is older than the store's maxTransactionAge",
            Map.of("engine", sql.dialect.name(), "ageMillis", (System.nanoTime() - beganNanos) / 1_000_000));
      }
      version = current + 1;
      // COMMIT_ORDERED_KEYS: the version row lock, held until the COMMIT below, orders versions
      // and visibility alike.
      writes.materialiseStamps(version);
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw errors.beforeCommit("prepare commit", e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
    try {
      applyAndCommit(c, version, writes);
    } catch (SQLException e) {
      rollbackQuietly(c);
      // The pipeline ends with COMMIT: after a lost connection the outcome is unknown; a
      // statement the server rejected skipped the COMMIT (nothing applied).
      throw errors.classify(e) == Errors.Kind.CONNECTION
          ? errors.duringCommit(e) : errors.beforeCommit("commit", e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
  }

  /** Step 1; returns the version before this commit's, or throws the conflict found. */
  private long lockAndCheck(Connection c, long snapshot, WriteSet writes,
      Collection<String> channels) throws SQLException {
    boolean notify = !channels.isEmpty();
    try (PreparedStatement ps = c.prepareStatement(notify ? sql.pipelinedLockNotify : sql.pipelinedLock)) {
      int p = 1;
      if (notify) {
        ps.setString(p++, sql.channel);
        ps.setArray(p++, c.createArrayOf("text", channels.toArray(String[]::new)));
      }
      byte[][][] ranges = ranges(writes);
      ps.setLong(p++, snapshot);
      ps.setLong(p++, snapshot);
      ps.setArray(p++, bytes(c, writes.points().keySet().toArray(byte[][]::new)));
      ps.setArray(p++, bytes(c, ranges[0]));
      ps.setArray(p++, bytes(c, ranges[1]));
      ps.setLong(p, snapshot);
      // Results in order: COMMIT, BEGIN, [notify rows,] the version row, the conflict rows.
      boolean isResultSet = ps.execute();
      int resultSets = 0;
      int versionAt = notify ? 1 : 0;
      long current = -1;
      while (true) {
        if (isResultSet) {
          try (ResultSet rs = ps.getResultSet()) {
            if (resultSets == versionAt) {
              if (!rs.next()) {
                throw new SQLException("the store's version row is missing", "TT001");
              }
              current = rs.getLong(1);
            } else if (resultSets == versionAt + 1) {
              check(rs, snapshot, writes);
              return current;
            }
          }
          resultSets++;
        } else if (ps.getUpdateCount() == -1) {
          throw new SQLException("the commit pipeline returned " + resultSets + " result sets", "TT002");
        }
        isResultSet = ps.getMoreResults();
      }
    }
  }

  private void check(ResultSet rs, long snapshot, WriteSet writes) throws SQLException {
    while (rs.next()) {
      int kind = rs.getInt(1);
      byte[] b = rs.getBytes(2);
      if (kind == 2) {
        throw conflict(b, snapshot, "the key was written");
      }
      if (kind == 3) {
        throw conflict(b, snapshot, "a key inside a cleared range was written");
      }
      byte[] e = rs.getBytes(3);
      var inside = writes.points().subMap(b, true, e, false);
      if (!inside.isEmpty()) {
        throw conflict(inside.firstKey(), snapshot, "a range containing the key was cleared");
      }
      for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
        if (ByteArrays.compare(r.getKey(), e) < 0 && ByteArrays.compare(b, r.getValue()) < 0) {
          throw conflict(r.getKey(), snapshot, "an overlapping range was cleared");
        }
      }
    }
  }

  /** Step 2: range deletes, clear records, points, COMMIT, in one pipeline. */
  private void applyAndCommit(Connection c, long version, WriteSet writes) throws SQLException {
    byte[][][] ranges = ranges(writes);
    byte[][] keys = writes.points().keySet().toArray(byte[][]::new);
    byte[][] values = writes.points().values().toArray(byte[][]::new);
    try (PreparedStatement ps = c.prepareStatement(sql.pipelinedApply)) {
      ps.setArray(1, bytes(c, ranges[0]));
      ps.setArray(2, bytes(c, ranges[1]));
      ps.setLong(3, version);
      ps.setArray(4, bytes(c, ranges[0]));
      ps.setArray(5, bytes(c, ranges[1]));
      ps.setLong(6, version);
      ps.setArray(7, bytes(c, keys));
      ps.setArray(8, bytes(c, values));
      ps.execute();
      while (ps.getMoreResults() || ps.getUpdateCount() != -1) {
        // drain: every statement's outcome, so a failure of any surfaces here
      }
    }
  }

  /** The cleared ranges as two arrays: begins, then ends. */
  private static byte[][][] ranges(WriteSet writes) {
    Map<byte[], byte[]> r = writes.clearedRangeMap();
    return new byte[][][] {r.keySet().toArray(byte[][]::new), r.values().toArray(byte[][]::new)};
  }

  private static Array bytes(Connection c, byte[][] values) throws SQLException {
    return c.createArrayOf("bytea", values);
  }

  private ConflictException conflict(byte[] key, long snapshot, String reason) {
    return new ConflictException("a concurrent transaction committed a write to a key this one writes",
        Map.of("engine", sql.dialect.name(), "key", ByteArrays.printable(key),
            "snapshotVersion", snapshot, "reason", reason));
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is gone; the server rolls the transaction back itself.
    }
  }
}
