package io.tito.jdbc;

import static io.tito.jdbc.CommitWriter.rollbackQuietly;

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
 * PostgreSQL's commit protocol: commits whose write sets are disjoint run in parallel, in two round
 * trips (the driver sends the statements of one multi-statement {@link PreparedStatement} as one
 * pipeline: one network round, one {@code Sync}; a failing statement skips the rest).
 *
 * <ol>
 *   <li><b>Lock and check.</b> {@code COMMIT} (ends the snapshot transaction), {@code BEGIN
 *       ISOLATION LEVEL READ COMMITTED}, the <em>store lock</em> (an advisory
 *       transaction lock: shared for a commit of point writes and stamped keys; exclusive for a
 *       commit that clears a range, which needs every earlier commit finished and no other in
 *       flight), the <em>key locks</em> (exclusive advisory locks on the 64-bit hashes of the
 *       written keys, in sorted order; shared commits only), the commit version from the store's
 *       sequence, the transaction's id and its stamp version (the id plus the store's {@code
 *       stamp_base}), and then, under those locks, one conflict query. Every row and clear record
 *       carries the id of the transaction that wrote it ({@code xid}); a write conflicts iff the
 *       current row of a key it writes, a row inside a range it clears, or a clear record
 *       overlapping one of its writes was written by a transaction the snapshot does not see
 *       ({@code pg_visible_in_snapshot} against the snapshot's {@code pg_current_snapshot()}). With
 *       sequenced appends, a last statement reads their counters' latest committed values (its
 *       READ COMMITTED snapshot is taken after the key locks, which cover the counters).</li>
 *   <li><b>Apply and commit.</b> The range deletes and clear records, every point in one {@code
 *       INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE}, stamped with the version and
 *       {@code pg_current_xact_id()}, while a retention hold exists the same ranges and points
 *       in the change log ({@code _changes}, with the commit time), and {@code COMMIT}. A commit
 *       that has notifications appends, in the same pipeline after that {@code COMMIT}, a
 *       transaction of their own: {@code BEGIN}, {@code synchronous_commit} off, {@code
 *       pg_notify}, {@code COMMIT}. PostgreSQL serialises every committing transaction that
 *       notified on one cluster-wide lock held through its WAL flush; notifying inside the data
 *       commit would serialise all publishers again. If a statement fails and the connection is
 *       fine, {@code pg_xact_status} of the data transaction's id (learnt in step 1) tells
 *       whether the data committed: then the notification's failure is logged, not thrown
 *       (listeners poll as their fallback); else nothing was applied.</li>
 * </ol>
 *
 * <p>Why the check is exact: a point is written only under its key lock, and a range is deleted
 * only under the exclusive store lock, so when the check runs (a statement of its own, whose READ
 * COMMITTED snapshot is taken after the locks) no other commit that could write the same key is
 * in flight: the row it reads is the last committed one. Under the exclusive lock no other
 * commit is in flight at all, so the check of a range is exact too. Stamped keys are stamped
 * with the committing transaction's id (plus the store's stamp base), which readers bound by
 * their snapshot's lowest running id (the stamp horizon, {@link VersionCut.Snapshot}); they take no
 * key lock (they are unique) and no exclusive lock.
 * Thread-safe (stateless per call, apart from the test hook).
 */
final class PipelinedCommit {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PipelinedCommit.class);

  private final Statements sql;
  private final Errors errors;
  private final long maxAgeNanos;
  private final OwnBackends ownBackends;
  private final java.util.function.Supplier<Runnable> checkedHook;
  private final SnapshotCommit inSnapshot;

  /**
   * @param checkedHook runs after the checks pass, holding the locks, before the writes are sent
   *     (a test pause point; a no-op otherwise)
   */
  PipelinedCommit(Statements sql, Errors errors, long maxAgeNanos, OwnBackends ownBackends,
      java.util.function.Supplier<Runnable> checkedHook) {
    this.sql = sql;
    this.errors = errors;
    this.maxAgeNanos = maxAgeNanos;
    this.ownBackends = ownBackends;
    this.checkedHook = checkedHook;
    this.inSnapshot = new SnapshotCommit(sql, errors, maxAgeNanos, ownBackends, checkedHook);
    this.appends = new AppendCommit(sql, errors, maxAgeNanos, ownBackends);
    this.appendGroup = new AppendGroup(appends, inSnapshot, sql.dialect.name());
  }

  private final AppendCommit appends;
  private final AppendGroup appendGroup;

  /** For tests: the group of blind publishes with the given durability ({@link AppendGroup}). */
  CommitGroup appendGroupForTest(boolean relaxed) {
    return appendGroup.group(relaxed);
  }

  /** For tests: the group of point writes and stamped keys that read nothing ({@link AppendGroup}). */
  CommitGroup stampedGroupForTest() {
    return appendGroup.stampedGroup();
  }

  /**
   * Whether the commit of {@code writes} judges their expectations itself: the commit inside the
   * snapshot ({@link SnapshotCommit}) and the one-round append commit ({@link AppendCommit}) do,
   * before any path they fall back to; the two-round path alone does not.
   */
  static boolean checksExpectations(WriteSet writes) {
    return SnapshotCommit.eligible(writes) || AppendCommit.eligible(writes);
  }

  /**
   * Commits {@code writes} of the snapshot transaction open on {@code c}: point writes and stamped
   * keys inside it ({@link SnapshotCommit}), sequenced appends with point writes in one READ
   * COMMITTED round ({@link AppendCommit}), anything else (or such a commit whose snapshot misses
   * a range clear) by the two steps above. A transaction that read nothing (sequenced appends
   * with point writes, or point writes and stamped keys) may be sent with others of its kind as
   * one commit ({@link AppendGroup}).
   *
   * @param snapshotIds the snapshot's ids if known, else null (read at commit)
   * @param relaxed whether the commit may return before it is durable (done on the one-round
   *     append path; the other paths commit durably, which the capability allows)
   */
  void commit(Connection c, String snapshotIds, long beganNanos, WriteSet writes,
      Collection<String> channels, boolean relaxed) {
    if (snapshotIds == null && checkedHook.get() == null && AppendGroup.groupable(writes)
        && AppendGroup.readNothing(c)) {
      // Read nothing: may be sent with the commits of its kind that queue meanwhile (AppendGroup).
      appendGroup.commit(new CommitGroup.Member(c, -1, beganNanos, writes, channels), relaxed,
          m -> commitAlone(m.connection, null, m.beganNanos, m.writes, m.channels, relaxed));
      return;
    }
    commitAlone(c, snapshotIds, beganNanos, writes, channels, relaxed);
  }

  private void commitAlone(Connection c, String snapshotIds, long beganNanos, WriteSet writes,
      Collection<String> channels, boolean relaxed) {
    if (SnapshotCommit.eligible(writes)) {
      SnapshotCommit.Outcome outcome = inSnapshot.commit(c, beganNanos, writes, channels);
      if (outcome.committed()) {
        return;
      }
      snapshotIds = outcome.snapshotIds();
    } else if (AppendCommit.eligible(writes)
        && (checkedHook.get() == null || writes.hasExpectations())) {
      // Sequenced appends in one round; with the test pause point, the two rounds below (unless
      // the commit judges expectations: only the one-round forms read them, see
      // #checksExpectations).
      AppendCommit.Outcome outcome = appends.commit(c, snapshotIds, beganNanos, writes, channels,
          relaxed);
      if (outcome.committed()) {
        return;
      }
      snapshotIds = outcome.snapshotIds();
    }
    Locked locked;
    try {
      if (!channels.isEmpty()) {
        ownBackends.record(c);
      }
      locked = lockAndCheck(c, snapshotIds, writes);
      // After the conflict checks: the collector relies on this order (see TombstoneCollector).
      if (System.nanoTime() - beganNanos > maxAgeNanos) {
        throw CommitWriter.ageConflict(sql.dialect.name(), beganNanos);
      }
      // COMMIT_ORDERED_KEYS: the stamp version is this commit's transaction id plus the store's
      // stamp base; readers clip stamped keys at their snapshot's horizon (VersionCut.Snapshot).
      writes.materialiseStamps(locked.stampVersion());
      // COMMIT_SEQUENCED_APPENDS: the counters were read in step 1 after the counters' key locks
      // (or the exclusive store lock), held until the COMMIT below, so they are the latest and no
      // other commit can append to them before this one is visible.
      if (writes.hasSequenced()) {
        writes.materialiseSequences(locked::counters);
      }
      Runnable hook = checkedHook.get();
      if (hook != null) {
        hook.run();
      }
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw errors.beforeCommit("prepare commit", e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
    try {
      applyAndCommit(c, locked.version(), writes, locked.holdExists(), channels);
    } catch (SQLException e) {
      rollbackQuietly(c);
      // The pipeline ends with COMMIT (then the notifications' own transaction): after a lost
      // connection the outcome is unknown; a statement the server rejected skipped the rest.
      if (errors.classify(e) == Errors.Kind.CONNECTION) {
        throw errors.duringCommit(e);
      }
      if (!channels.isEmpty() && committed(c, locked.xid(), e)) {
        // The data COMMIT succeeded and the notifications' transaction failed: committed.
        LOG.warn("notifying {} after a commit failed; listeners will find the change by polling",
            sql.channel, e);
        return;
      }
      throw errors.beforeCommit("commit", e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
  }

  /**
   * After a statement of the apply pipeline failed (the connection is fine): whether the data
   * transaction {@code xid} committed, i.e. the failure was in the notifications' transaction
   * after it. A failure to learn it makes the outcome unknown.
   */
  private boolean committed(Connection c, String xid, SQLException cause) {
    try (PreparedStatement ps = c.prepareStatement(sql.xactStatus)) {
      ps.setString(1, xid);
      boolean committed;
      try (ResultSet rs = ps.executeQuery()) {
        committed = rs.next() && "committed".equals(rs.getString(1));
      }
      c.rollback();
      return committed;
    } catch (SQLException e) {
      rollbackQuietly(c);
      cause.addSuppressed(e);
      throw errors.duringCommit(cause);
    }
  }

  /**
   * For tests: whether the next in-snapshot commit ({@code appends} false) or one-round append
   * commit ({@code appends} true) sends the change log's insert.
   */
  boolean sendsChangeLogForTest(boolean appends) {
    return appends ? this.appends.sendsChangeLog() : inSnapshot.sendsChangeLog();
  }

  /** For tests: how many one-round append commits took the blind form. */
  long blindAppendCommitsForTest() {
    return appends.blindCommits();
  }

  /** For tests: makes the notifications' transaction fail (an empty channel name). */
  void failNotificationsForTest(boolean fail) {
    this.failNotifications = fail;
    inSnapshot.failNotificationsForTest(fail);
    appends.failNotificationsForTest(fail);
  }

  private volatile boolean failNotifications;

  /** The keys a shared commit locks: its point writes and the counters of its sequenced appends. */
  private static Collection<byte[]> lockedKeys(WriteSet writes) {
    if (!writes.hasSequenced()) {
      return writes.points().keySet();
    }
    java.util.List<byte[]> keys = new java.util.ArrayList<>(writes.points().keySet());
    keys.addAll(writes.sequenceCounters());
    return keys;
  }

  /**
   * Whether a commit needs the store to itself: range clears. Stamped keys do not (they are
   * unique; their order comes from the transaction id, see {@link VersionCut.Snapshot}).
   */
  static boolean exclusive(WriteSet writes) {
    return !writes.clearedRangeMap().isEmpty();
  }

  /**
   * The outcome of step 1: the commit's version, and whether a retention hold exists (read under
   * the store lock: a hold is placed under the exclusive store lock at a clean cut, so every
   * commit with a version above it sees it and logs its changes).
   */
  private record Locked(long version, boolean holdExists, String xid, long stampVersion,
      Map<java.nio.ByteBuffer, byte[]> latest) {

    /** The counters' latest committed values, in the order of {@code keys}, null where absent. */
    java.util.List<byte[]> counters(java.util.List<byte[]> keys) {
      java.util.List<byte[]> out = new java.util.ArrayList<>(keys.size());
      for (byte[] key : keys) {
        out.add(latest.get(java.nio.ByteBuffer.wrap(key)));
      }
      return out;
    }
  }

  /** Step 1; returns this commit's version, or throws the conflict found. */
  private Locked lockAndCheck(Connection c, String snapshot, WriteSet writes) throws SQLException {
    boolean exclusive = exclusive(writes);
    boolean counters = writes.hasSequenced();
    String statement = exclusive
        ? (counters ? sql.pipelinedLockExclusiveCounters : sql.pipelinedLockExclusive)
        : (counters ? sql.pipelinedLockCounters : sql.pipelinedLock);
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      int p = 1;
      ps.setString(p++, snapshot); // null: the snapshot transaction's own, read in the pipeline
      ps.setInt(p++, Statements.STORE_LOCK_CLASS);
      ps.setInt(p++, sql.storeLockId);
      long[] keyLocks = exclusive ? new long[0] : KeyLocks.of(sql.keyLockSeed, lockedKeys(writes));
      ps.setArray(p++, c.createArrayOf("bigint", java.util.Arrays.stream(keyLocks).boxed().toArray()));
      byte[][][] ranges = ranges(writes);
      ps.setArray(p++, bytes(c, writes.points().keySet().toArray(byte[][]::new)));
      ps.setArray(p++, bytes(c, ranges[0]));
      ps.setArray(p++, bytes(c, ranges[1]));
      if (counters) {
        ps.setArray(p, bytes(c, writes.sequenceCounters().toArray(byte[][]::new)));
      }
      // Result sets in order: the snapshot's ids kept, the store lock, the key locks, the version,
      // the conflict rows, the counters (with sequenced appends).
      boolean isResultSet = ps.execute();
      int resultSets = 0;
      int versionAt = 3;
      long version = -1;
      boolean holdExists = false;
      String xid = null;
      long stampVersion = -1;
      Map<java.nio.ByteBuffer, byte[]> latest = new java.util.HashMap<>();
      while (true) {
        if (isResultSet) {
          try (ResultSet rs = ps.getResultSet()) {
            if (resultSets == versionAt) {
              rs.next();
              version = rs.getLong(1);
              holdExists = rs.getBoolean(2);
              xid = rs.getString(3);
              stampVersion = rs.getLong(4);
            } else if (resultSets == versionAt + 1) {
              check(rs, writes);
              if (!counters) {
                return new Locked(version, holdExists, xid, stampVersion, latest);
              }
            } else if (resultSets == versionAt + 2) {
              while (rs.next()) {
                byte[] v = rs.getBytes(2);
                if (v != null) {
                  latest.put(java.nio.ByteBuffer.wrap(rs.getBytes(1)), v);
                }
              }
              return new Locked(version, holdExists, xid, stampVersion, latest);
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

  private void check(ResultSet rs, WriteSet writes) throws SQLException {
    while (rs.next()) {
      int kind = rs.getInt(1);
      byte[] b = rs.getBytes(2);
      if (kind == 2) {
        throw conflict(b, "the key was written");
      }
      if (kind == 3) {
        throw conflict(b, "a key inside a cleared range was written");
      }
      byte[] e = rs.getBytes(3);
      var inside = writes.points().subMap(b, true, e, false);
      if (!inside.isEmpty()) {
        throw conflict(inside.firstKey(), "a range containing the key was cleared");
      }
      for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
        if (ByteArrays.compare(r.getKey(), e) < 0 && ByteArrays.compare(b, r.getValue()) < 0) {
          throw conflict(r.getKey(), "an overlapping range was cleared");
        }
      }
    }
  }

  /**
   * Step 2: range deletes, clear records, points, the change log entries if {@code logged},
   * COMMIT, in one pipeline.
   */
  private void applyAndCommit(Connection c, long version, WriteSet writes, boolean logged,
      Collection<String> channels) throws SQLException {
    byte[][][] ranges = ranges(writes);
    byte[][] keys = writes.points().keySet().toArray(byte[][]::new);
    byte[][] values = writes.points().values().toArray(byte[][]::new);
    boolean notify = !channels.isEmpty();
    String statement = notify
        ? (logged ? sql.pipelinedApplyLoggedNotify : sql.pipelinedApplyNotify)
        : (logged ? sql.pipelinedApplyLogged : sql.pipelinedApply);
    statement = sql.recordingTombstonesOf(statement, writes);
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      ps.setArray(1, bytes(c, ranges[0]));
      ps.setArray(2, bytes(c, ranges[1]));
      ps.setLong(3, version);
      ps.setArray(4, bytes(c, ranges[0]));
      ps.setArray(5, bytes(c, ranges[1]));
      ps.setLong(6, version);
      ps.setArray(7, bytes(c, keys));
      ps.setArray(8, bytes(c, values));
      if (logged) {
        long time = System.currentTimeMillis();
        ps.setLong(9, version);
        ps.setLong(10, time);
        ps.setArray(11, bytes(c, ranges[0]));
        ps.setArray(12, bytes(c, ranges[1]));
        ps.setLong(13, version);
        ps.setLong(14, time);
        ps.setArray(15, bytes(c, keys));
        ps.setArray(16, bytes(c, values));
      }
      if (notify) {
        int p = logged ? 17 : 9;
        ps.setString(p, failNotifications ? "" : sql.channel);
        ps.setArray(p + 1, c.createArrayOf("text", channels.toArray(String[]::new)));
      }
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

  private ConflictException conflict(byte[] key, String reason) {
    return new ConflictException("a concurrent transaction committed a write to a key this one writes",
        Map.of("engine", sql.dialect.name(), "key", ByteArrays.printable(key), "reason", reason));
  }
}
