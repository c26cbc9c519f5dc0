package io.tito.jdbc;

import static io.tito.jdbc.CommitWriter.rollbackQuietly;

import io.tito.ConflictException;
import io.tito.spi.Expectations;
import io.tito.spi.WriteSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * PostgreSQL's commit of point writes and stamped keys (no range clears, no sequenced appends),
 * inside the REPEATABLE READ snapshot transaction, in one round trip (issue 16): the store lock
 * (shared), the key locks, the version, the transaction's id and stamp version, a check of the
 * version row, the writes, {@code COMMIT}, then the notifications' own transaction.
 *
 * <p>Why it is exact. A write conflicts iff a transaction the snapshot does not see committed a
 * write to a key it writes or cleared a range holding one. <em>Points:</em> every point write
 * (here or on the READ COMMITTED path, {@link PipelinedCommit}) holds its key lock from before
 * its check to its end, so the upsert meets the last committed row of each key, and in
 * REPEATABLE READ PostgreSQL rejects an {@code INSERT ... ON CONFLICT DO UPDATE} of a row whose
 * current version the snapshot does not see with 40001 ({@link ConflictException}); a row it
 * sees goes through. <em>Rows gone from the table</em> (range clears, the tombstone collector, a
 * bulk load's tombstone purge) leave nothing for the upsert to meet: each of them updates the
 * store's version row under the exclusive store lock. This commit holds the shared lock, so none
 * is in flight while it reads the row's version its snapshot sees: if that version's {@code
 * xmax} committed, a transaction the snapshot misses changed the store that way, and this commit
 * skips its writes and takes the READ COMMITTED path, judged by transaction ids against the
 * snapshot, whose ids it returns. Placing a retention hold and raising the stamp floor update
 * the row too, so a commit that did not leave the path reads both (they are read in the
 * snapshot) as current.
 *
 * <p>The change log. While the last commit's snapshot saw no retention hold, the write is sent
 * without the change log's insert ({@link Statements#snapshotApplyLean}), and the check counts a
 * hold its snapshot sees as a hole: such a commit writes nothing and takes the READ COMMITTED
 * path, which logs it. A commit therefore logs its change exactly when its snapshot sees a hold,
 * whichever statement it sent. Thread-safe (per call, apart from that one remembered flag).
 */
final class SnapshotCommit {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SnapshotCommit.class);

  private final Statements sql;
  private final Errors errors;
  private final long maxAgeNanos;
  private final OwnBackends ownBackends;
  private final Supplier<Runnable> checkedHook;
  private final String whole;
  private final String wholeNotify;
  private final String wholeLean;
  private final String wholeLeanNotify;
  private volatile boolean failNotifications;

  /** The outcome: committed, or left for the READ COMMITTED path with the snapshot's ids. */
  record Outcome(boolean committed, String snapshotIds) {}

  private static final Outcome COMMITTED = new Outcome(true, null);

  /**
   * @param checkedHook the test pause point, or a supplier of {@code null}: with a hook the
   *     pipeline is split in two round trips, the hook running between them holding the locks
   */
  SnapshotCommit(Statements sql, Errors errors, long maxAgeNanos, OwnBackends ownBackends,
      Supplier<Runnable> checkedHook) {
    this.sql = sql;
    this.errors = errors;
    this.maxAgeNanos = maxAgeNanos;
    this.ownBackends = ownBackends;
    this.checkedHook = checkedHook;
    this.whole = sql.snapshotPrepare + ";\n" + sql.snapshotApply;
    this.wholeNotify = sql.snapshotPrepare + ";\n" + sql.snapshotApplyNotify;
    this.wholeLean = sql.snapshotPrepare + ";\n" + sql.snapshotApplyLean;
    this.wholeLeanNotify = sql.snapshotPrepare + ";\n" + sql.snapshotApplyLeanNotify;
  }

  /**
   * Whether the last commit's snapshot saw a retention hold (none seen yet: assume one). While
   * it did not, commits send the write without the change log's insert; their check turns a hold
   * into a hole, so a hold placed since (by any process) costs one commit the READ COMMITTED
   * path and is then seen. Only a choice of statement: exactness never depends on it.
   */
  private volatile boolean holdsSeen = true;

  /** Whether the next commit would send the change log's insert (for tests). */
  boolean sendsChangeLog() {
    return holdsSeen;
  }

  /** Whether {@code writes} may commit this way: no range clears, no sequenced appends. */
  static boolean eligible(WriteSet writes) {
    return writes.clearedRangeMap().isEmpty() && !writes.hasSequenced();
  }

  /**
   * What the check found: the commit's stamp version, the snapshot's ids if it must leave, and
   * the first expected key whose value differs (null if none; then nothing was written).
   */
  private record Prepared(long stampVersion, boolean hole, String snapshotIds, byte[] mismatch,
      boolean holds) {}

  Outcome commit(Connection c, long beganNanos, WriteSet writes, Collection<String> channels) {
    if (System.nanoTime() - beganNanos > maxAgeNanos) {
      rollbackQuietly(c);
      throw CommitWriter.ageConflict(sql.dialect.name(), beganNanos);
    }
    String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "." + System.nanoTime();
    Runnable hook = checkedHook.get();
    boolean notify = !channels.isEmpty();
    boolean lean = !holdsSeen;
    Prepared prepared = null;
    try {
      if (notify) {
        ownBackends.record(c);
      }
      if (hook != null) {
        try (PreparedStatement ps = c.prepareStatement(sql.snapshotPrepare)) {
          bindPrepare(c, ps, writes, nonce, lean);
          prepared = run(ps, true);
        }
        holdsSeen = prepared != null && prepared.holds();
        if (prepared != null && prepared.mismatch() != null) {
          throw Expectations.mismatch(prepared.mismatch());
        }
        if (prepared.hole()) {
          return new Outcome(false, prepared.snapshotIds()); // the next pipeline COMMITs first
        }
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
      String statement = hook != null ? apply(lean, notify) : whole(lean, notify);
      statement = sql.recordingTombstonesOf(statement, writes);
      try (PreparedStatement ps = c.prepareStatement(statement)) {
        int p = hook != null ? 1 : bindPrepare(c, ps, writes, nonce, lean);
        bindApply(c, ps, p, writes, nonce, lean, notify ? channels : null);
        Prepared read = run(ps, hook == null);
        prepared = hook != null ? prepared : read;
      }
    } catch (SQLException e) {
      rollbackQuietly(c);
      // The pipeline ends with COMMIT (then the notifications' own transaction): after a lost
      // connection the outcome is unknown; a statement the server rejected skipped the rest.
      Errors.Kind kind = errors.classify(e);
      if (kind == Errors.Kind.CONNECTION) {
        throw errors.duringCommit(e);
      }
      if (kind != Errors.Kind.CONFLICT && notify) {
        long stamp = committedStamp(c, nonce, e);
        if (stamp >= 0) {
          // The data COMMIT succeeded and the notifications' transaction failed: committed.
          LOG.warn("notifying {} after a commit failed; listeners will find the change by polling",
              sql.channel, e);
          writes.materialiseStamps(stamp);
          return COMMITTED;
        }
      }
      throw errors.beforeCommit("commit", e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
    if (prepared == null) {
      throw errors.duringCommit(new SQLException("the commit pipeline returned no version row", "TT002"));
    }
    holdsSeen = prepared.holds();
    if (prepared.mismatch() != null) {
      throw Expectations.mismatch(prepared.mismatch()); // nothing was written or notified
    }
    if (prepared.hole()) {
      // The expectations held in the snapshot (judged above): the READ COMMITTED path needs no
      // more of them.
      return new Outcome(false, prepared.snapshotIds()); // nothing was written or notified
    }
    writes.materialiseStamps(prepared.stampVersion());
    return COMMITTED;
  }

  /**
   * After a failed pipeline with notifications (the connection is fine): the stamp version if the
   * data transaction committed (the session setting it set to {@code nonce} survived), else -1.
   */
  private long committedStamp(Connection c, String nonce, SQLException cause) {
    try (PreparedStatement ps = c.prepareStatement(sql.snapshotOutcome)) {
      long out = -1;
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && nonce.equals(rs.getString(1))) {
          out = Long.parseLong(rs.getString(2));
        }
      }
      c.rollback();
      return out;
    } catch (SQLException e) {
      rollbackQuietly(c);
      cause.addSuppressed(e);
      throw errors.duringCommit(cause);
    }
  }

  private String whole(boolean lean, boolean notify) {
    return lean ? (notify ? wholeLeanNotify : wholeLean) : (notify ? wholeNotify : whole);
  }

  private String apply(boolean lean, boolean notify) {
    return lean ? (notify ? sql.snapshotApplyLeanNotify : sql.snapshotApplyLean)
        : (notify ? sql.snapshotApplyNotify : sql.snapshotApply);
  }

  private int bindPrepare(Connection c, PreparedStatement ps, WriteSet writes, String nonce,
      boolean lean) throws SQLException {
    ps.setInt(1, Statements.STORE_LOCK_CLASS);
    ps.setInt(2, sql.storeLockId);
    // Arrays are bound as Java arrays: the driver encodes them in binary at once (no Array
    // object, no type lookup, no boxing).
    ps.setObject(3, KeyLocks.of(sql.keyLockSeed, writes.points().keySet()));
    ps.setString(4, nonce);
    List<WriteSet.Expectation> expected = writes.expectations();
    int n = expected.size();
    byte[][] keys = new byte[n][];
    byte[][] values = new byte[n][];
    boolean[] present = new boolean[n];
    for (int i = 0; i < n; i++) {
      WriteSet.Expectation e = expected.get(i);
      keys[i] = e.key();
      present[i] = e.value() != null;
      values[i] = present[i] ? e.value() : NO_BYTES;
    }
    ps.setObject(5, keys);
    ps.setObject(6, values);
    ps.setObject(7, present);
    ps.setBoolean(8, lean);
    return 9;
  }

  private static final byte[] NO_BYTES = new byte[0];

  /** For tests: makes the notifications' transaction fail (an empty channel name). */
  void failNotificationsForTest(boolean fail) {
    this.failNotifications = fail;
  }

  private void bindApply(Connection c, PreparedStatement ps, int from, WriteSet writes,
      String nonce, boolean lean, Collection<String> channels) throws SQLException {
    List<WriteSet.StampedWrite> stamped = writes.stampedWrites();
    Map<byte[], byte[]> points = writes.points();
    byte[][] keys = new byte[points.size()][];
    byte[][] values = new byte[keys.length][];
    int i = 0;
    for (Map.Entry<byte[], byte[]> e : points.entrySet()) {
      keys[i] = e.getKey();
      values[i++] = e.getValue();
    }
    int n = stamped.size();
    byte[][] prefixes = new byte[n][];
    byte[][] stampedValues = new byte[n][];
    int[] orders = new int[n];
    for (int j = 0; j < n; j++) {
      WriteSet.StampedWrite w = stamped.get(j);
      prefixes[j] = w.prefix();
      stampedValues[j] = w.value();
      orders[j] = w.order();
    }
    int p = from;
    ps.setObject(p++, keys);
    ps.setObject(p++, values);
    ps.setObject(p++, prefixes);
    ps.setObject(p++, stampedValues);
    ps.setObject(p++, orders);
    ps.setString(p++, nonce);
    if (!lean) {
      ps.setLong(p++, System.currentTimeMillis());
      ps.setString(p++, nonce);
    }
    if (channels != null) {
      ps.setString(p++, failNotifications ? "" : sql.channel);
      ps.setObject(p++, channels.toArray(String[]::new));
      ps.setString(p, nonce);
    }
  }

  /**
   * Runs the pipeline, draining every statement's outcome (so a failure of any surfaces), and
   * returns the check's row (the third result set) if {@code withCheck}, else null.
   */
  private static Prepared run(PreparedStatement ps, boolean withCheck) throws SQLException {
    boolean isResultSet = ps.execute();
    int resultSets = 0;
    Prepared out = null;
    while (isResultSet || ps.getUpdateCount() != -1) {
      if (isResultSet) {
        try (ResultSet rs = ps.getResultSet()) {
          if (withCheck && resultSets == 2 && rs.next()) {
            out = new Prepared(rs.getLong(3), rs.getBoolean(4), rs.getString(5), rs.getBytes(8),
                rs.getBoolean(2));
          }
        }
        resultSets++;
      }
      isResultSet = ps.getMoreResults();
    }
    return out;
  }
}
