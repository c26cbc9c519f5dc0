package io.tito.jdbc;

import static io.tito.jdbc.CommitWriter.rollbackQuietly;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import io.tito.spi.Expectations;
import io.tito.spi.WriteSet;
import io.tito.tuple.Tuple;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * PostgreSQL's commit of sequenced appends (pub/sub publishes) with point writes, in one round
 * trip (issue 16): the READ COMMITTED path of {@link PipelinedCommit} with its two rounds folded
 * into one pipeline, the appends' positions assigned on the server.
 *
 * <pre>
 * [the first expected key whose value differs, into a session setting (expectations only)]
 * set_config('tito.snapshot', snapshot ids) ; COMMIT ; BEGIN READ COMMITTED
 * store lock (shared) ; key locks (points and counters, sorted)
 * nextval ; hole? ; first point changed by a writer the snapshot misses? ; expectation
 *   mismatch? ; gate = none of them ;
 *   plan_cache_mode = force_generic_plan (this transaction only: the next statement's cached plan)
 * WITH counters (read now: under their key locks, the latest committed values)
 *      writes = points, prefix || tuple(base + offset) per append, counters = tuple(base + n)
 *   upsert writes, change log if a hold exists (both gated) ; the bases in a session setting
 * COMMIT ; [BEGIN ; synchronous_commit off and pg_notify (gated) ; COMMIT]
 * </pre>
 *
 * <p>A transaction that read nothing (the driver sent nothing since the last transaction ended)
 * takes the <em>blind</em> form: {@code SET TRANSACTION ISOLATION LEVEL READ COMMITTED} in the
 * transaction the driver begins replaces the first line, and the check judges against its own
 * statement's snapshot ({@code pg_current_snapshot()}, taken after the locks), at least as fresh
 * as at begin: nothing committed before it conflicts, and the shared store lock keeps clears out
 * until the writes are done.
 *
 * <p>Expectations ({@link io.tito.spi.EngineTransaction#expect}, deferred reads) are judged in
 * the transaction's snapshot: by a statement in the snapshot transaction before the {@code COMMIT}
 * that ends it, or, blind, in the check's own snapshot. A mismatch closes the gate like a changed
 * key (nothing is written) and is reported as {@link Expectations#mismatch}. A blind commit with
 * expectations that meets a hole is retried instead of falling back to the two-round path, which
 * would judge its writes against another snapshot than its expectations.
 *
 * <p>Why it is exact. The point check is {@link PipelinedCommit}'s kind 2 check (the current row
 * of a written key, read under its key lock, written by a transaction the snapshot does not
 * see), evaluated on the server. Its other checks (clear records after the snapshot, written
 * rows gone) are replaced by the <em>hole</em> test of {@link SnapshotCommit}: every range
 * clear, tombstone collector pass with deletions, bulk-load finish, hold placement and stamp
 * floor raise updates the store's version row under the exclusive store lock; this commit holds
 * the shared lock, so none is in flight, and if the row's live version (its {@code xmin},
 * widened to 64 bits against this transaction's id) is invisible to the snapshot, one of them
 * committed after it: the commit then writes nothing, commits the empty transaction and takes
 * the two-round path, which judges clears exactly and checks the transaction's age after its
 * check. Without a hole no clear record and no tombstone the snapshot could need has changed, so
 * the age check before sending (as {@link SnapshotCommit}) is enough. Counters: the statement
 * that reads them starts after their key locks were granted (READ COMMITTED takes a snapshot per
 * statement), so it reads their latest committed values and no other commit can append before
 * this one is visible; the client computes the same positions from the bases the statement
 * returns ({@link WriteSet#materialiseSequences}).
 *
 * <p>Eligible: no range clear, no stamped key, no counter among the point writes (its own write
 * would be the base), no point write or counter under an append's prefix (it could meet an
 * appended key in the one upsert). Thread-safe (stateless per call).
 */
final class AppendCommit {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AppendCommit.class);

  private final Statements sql;
  private final Errors errors;
  private final long maxAgeNanos;
  private final OwnBackends ownBackends;
  private volatile boolean failNotifications;

  /**
   * Whether the last commit saw a retention hold (none seen yet: assume one). While it did not,
   * commits send the write without the change log's insert and their check counts a hold as a
   * hole (see {@link SnapshotCommit}); exactness never depends on it.
   */
  private volatile boolean holdsSeen = true;

  /** Whether the next commit would send the change log's insert (for tests). */
  boolean sendsChangeLog() {
    return holdsSeen;
  }

  private final LongAdder blindCommits = new LongAdder();

  /** How many commits took the blind form (their transaction read nothing; for tests). */
  long blindCommits() {
    return blindCommits.sum();
  }

  /** The outcome: committed, or left for the two-round path with the snapshot's ids. */
  record Outcome(boolean committed, String snapshotIds) {}

  private static final Outcome COMMITTED = new Outcome(true, null);

  AppendCommit(Statements sql, Errors errors, long maxAgeNanos, OwnBackends ownBackends) {
    this.sql = sql;
    this.errors = errors;
    this.maxAgeNanos = maxAgeNanos;
    this.ownBackends = ownBackends;
  }

  /** Whether {@code writes} may commit this way (see the class comment). */
  static boolean eligible(WriteSet writes) {
    if (!writes.hasSequenced() || !writes.clearedRangeMap().isEmpty()
        || !writes.stampedWrites().isEmpty()) {
      return false;
    }
    var points = writes.points();
    List<byte[]> counters = writes.sequenceCounters();
    for (byte[] counter : counters) {
      if (points.containsKey(counter)) {
        return false;
      }
    }
    byte[] lastPrefix = null;
    for (WriteSet.SequencedWrite w : writes.sequencedWrites()) {
      byte[] prefix = w.prefix();
      if (lastPrefix != null && java.util.Arrays.equals(lastPrefix, prefix)) {
        continue;
      }
      lastPrefix = prefix;
      byte[] after = points.ceilingKey(prefix);
      if (after != null && ByteArrays.startsWith(after, prefix)) {
        return false;
      }
      for (byte[] counter : counters) {
        if (ByteArrays.startsWith(counter, prefix)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * @param relaxed whether the data {@code COMMIT} may return before the WAL flush
   *     ({@link io.tito.spi.Capability#RELAXED_DURABILITY})
   */
  Outcome commit(Connection c, String snapshotIds, long beganNanos, WriteSet writes,
      Collection<String> channels, boolean relaxed) {
    if (System.nanoTime() - beganNanos > maxAgeNanos) {
      rollbackQuietly(c);
      throw CommitWriter.ageConflict(sql.dialect.name(), beganNanos);
    }
    String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "." + System.nanoTime();
    boolean notify = !channels.isEmpty();
    boolean lean = !holdsSeen;
    List<byte[]> counters = writes.sequenceCounters();
    String ids;
    boolean hole;
    byte[] changed;
    byte[] mismatch;
    String bases;
    boolean blind = false;
    List<WriteSet.Expectation> expected = writes.expectations();
    boolean expects = !expected.isEmpty();
    try {
      if (notify) {
        ownBackends.record(c);
      }
      // Nothing sent on the connection since the last transaction ended: nothing was read.
      blind = snapshotIds == null && idle(c);
      String statement = sql.recordingTombstonesOf(
          sql.appendCommit(relaxed, notify, lean, blind, expects), writes);
      try (PreparedStatement ps = c.prepareStatement(statement)) {
        bind(ps, blind, snapshotIds, writes, counters, nonce, lean, notify ? channels : null);
        // Result sets in order: the expectations judged in the snapshot (if any and not blind),
        // the snapshot's ids (not if blind), the store lock, the key locks, the check, the bases
        // (then, with notifications, pg_notify's).
        boolean isResultSet = ps.execute();
        int resultSets = blind ? 1 : expects ? -1 : 0;
        ids = null;
        hole = false;
        changed = null;
        mismatch = null;
        bases = null;
        while (isResultSet || ps.getUpdateCount() != -1) {
          if (isResultSet) {
            try (ResultSet rs = ps.getResultSet()) {
              if (rs.next()) {
                switch (resultSets) {
                  case 0 -> ids = rs.getString(1);
                  case 3 -> {
                    hole = rs.getBoolean(1);
                    changed = rs.getBytes(2);
                    holdsSeen = rs.getBoolean(3);
                    mismatch = rs.getBytes(4);
                  }
                  case 4 -> bases = rs.getString(1);
                  default -> { }
                }
              }
            }
            resultSets++;
          }
          isResultSet = ps.getMoreResults();
        }
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
        String committedBases = committedBases(c, nonce, e);
        if (committedBases != null) {
          // The data COMMIT succeeded and the notifications' transaction failed: committed.
          LOG.warn("notifying {} after a commit failed; listeners will find the change by polling",
              sql.channel, e);
          materialise(writes, counters, committedBases);
          return COMMITTED;
        }
      }
      throw errors.beforeCommit("commit", e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
    if (mismatch != null) {
      throw Expectations.mismatch(mismatch); // judged in the snapshot: nothing was written
    }
    if (hole) {
      if (blind && expects) {
        // The expectations were judged in the check's snapshot, which the two-round path would
        // not share: retry instead (holes are rare: clears, holds, collector passes).
        throw new ConflictException("the store changed as a whole while this commit was judged",
            Map.of("engine", sql.dialect.name(), "reason", "hole")).retryingNow();
      }
      return new Outcome(false, ids); // nothing was written or notified; the next pipeline COMMITs first
    }
    if (changed != null) {
      throw new ConflictException("a concurrent transaction committed a write to a key this one writes",
          Map.of("engine", sql.dialect.name(), "key", ByteArrays.printable(changed),
              "reason", "the key was written"));
    }
    if (bases == null) {
      throw errors.duringCommit(new SQLException("the commit pipeline returned no counter bases", "TT002"));
    }
    materialise(writes, counters, bases);
    if (blind) {
      blindCommits.increment();
    }
    return COMMITTED;
  }

  /** Gives the write set the positions the server assigned (bases in the counters' order). */
  private static void materialise(WriteSet writes, List<byte[]> counters, String bases) {
    String[] parts = bases.split(",");
    if (parts.length != counters.size()) {
      throw new IllegalStateException("expected " + counters.size() + " counter bases, got " + bases);
    }
    List<byte[]> values = new ArrayList<>(parts.length);
    for (String p : parts) {
      values.add(Tuple.of(Long.parseLong(p)).pack());
    }
    writes.materialiseSequences(keys -> values);
  }

  /**
   * After a failed pipeline with notifications (the connection is fine): the counter bases if
   * the data transaction committed (the session setting it set to {@code nonce} survived), else
   * null.
   */
  private String committedBases(Connection c, String nonce, SQLException cause) {
    try (PreparedStatement ps = c.prepareStatement(sql.appendOutcome)) {
      String out = null;
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && nonce.equals(rs.getString(1))) {
          out = rs.getString(2);
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

  /**
   * Whether {@code c} is outside a transaction: the driver has sent nothing since the last one
   * ended, so the committing transaction read nothing.
   */
  static boolean idle(Connection c) throws SQLException {
    return c.isWrapperFor(BaseConnection.class)
        && c.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE;
  }

  private void bind(PreparedStatement ps, boolean blind, String snapshotIds, WriteSet writes,
      List<byte[]> counters, String nonce, boolean lean, Collection<String> channels)
      throws SQLException {
    int p = 1;
    List<WriteSet.Expectation> expected = writes.expectations();
    byte[][] expectedKeys = new byte[expected.size()][];
    byte[][] expectedValues = new byte[expected.size()][];
    for (int i = 0; i < expectedKeys.length; i++) {
      expectedKeys[i] = expected.get(i).key();
      expectedValues[i] = expected.get(i).value();
    }
    boolean expects = expectedKeys.length > 0;
    if (expects && !blind) {
      ps.setObject(p++, expectedKeys);
      ps.setObject(p++, expectedValues);
    }
    if (!blind) {
      ps.setString(p++, snapshotIds);
    }
    ps.setInt(p++, Statements.STORE_LOCK_CLASS);
    ps.setInt(p++, sql.storeLockId);
    List<byte[]> locked = new ArrayList<>(writes.points().keySet());
    locked.addAll(counters);
    // Arrays are bound as Java arrays: the driver encodes them in binary at once (no Array
    // object, no type lookup, no boxing).
    ps.setObject(p++, KeyLocks.of(sql.keyLockSeed, locked));
    ps.setBoolean(p++, lean);
    if (expects && blind) {
      ps.setObject(p++, expectedKeys);
      ps.setObject(p++, expectedValues);
    }
    byte[][] keys = writes.points().keySet().toArray(byte[][]::new);
    ps.setObject(p++, keys);
    ps.setString(p++, nonce);
    // The counters, how many appends each has; the points; each append's prefix, value, counter
    // (1-based, in the counters' order) and offset among its counter's appends.
    Map<byte[], Integer> index = new java.util.TreeMap<>(ByteArrays.COMPARATOR);
    for (byte[] counter : counters) {
      index.put(counter, index.size() + 1);
    }
    List<WriteSet.SequencedWrite> appends = writes.sequencedWrites();
    int[] perCounter = new int[counters.size()];
    byte[][] prefixes = new byte[appends.size()][];
    byte[][] values = new byte[appends.size()][];
    int[] counterOf = new int[appends.size()];
    int[] offsets = new int[appends.size()];
    for (int i = 0; i < appends.size(); i++) {
      WriteSet.SequencedWrite w = appends.get(i);
      int ci = index.get(w.counter());
      prefixes[i] = w.prefix();
      values[i] = w.value();
      counterOf[i] = ci;
      offsets[i] = perCounter[ci - 1]++;
    }
    ps.setObject(p++, counters.toArray(byte[][]::new));
    ps.setObject(p++, perCounter);
    ps.setObject(p++, keys);
    ps.setObject(p++, writes.points().values().toArray(byte[][]::new));
    ps.setObject(p++, prefixes);
    ps.setObject(p++, values);
    ps.setObject(p++, counterOf);
    ps.setObject(p++, offsets);
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

  /** For tests: makes the notifications' transaction fail (an empty channel name). */
  void failNotificationsForTest(boolean fail) {
    this.failNotifications = fail;
  }
}
