package io.tito.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes tombstones and range-clear records that no transaction can conflict with any more, and
 * change log entries no retention hold covers.
 *
 * <p>Why it is safe: each run samples the store's commit version {@code V} at local time
 * {@code t}, as a clean cut ({@link VersionCut}: every commit at or below {@code V} has finished
 * by then, even where commits run in parallel). A transaction whose snapshot misses a commit at
 * or below {@code V} began before {@code t}. Once
 * {@code maxTransactionAge} (plus a margin) has passed since {@code t}, such a transaction either
 * already ran its conflict checks (they precede its age check, see {@link CommitWriter}), or it
 * fails the age check. So records at or below {@code V} can go, except those above the lowest
 * retention hold of the change feed (changes not backed up yet). On PostgreSQL commits inside
 * the snapshot transaction have no age check after a check of their own (their upsert is the
 * check): the collector updates the version row before deleting, which sends those whose
 * snapshot misses it to the READ COMMITTED path ({@link SnapshotCommit}). Runs on one daemon thread;
 * failures are logged and retried at the next run.
 *
 * <p>Where the tombstones are: MariaDB's collector scans the key table for them. On PostgreSQL
 * each commit that writes a tombstone also records it (version, key) in the store's tombstone
 * records table in the same statement ({@link Statements#recordingTombstones}), and the collector
 * reads those records in batches by version: a record deletes its key's row only if the row is
 * still that tombstone (a later commit may have written the key again), and is deleted itself.
 * So the key table needs no index on the columns every update changes, and updates of existing
 * keys can be HOT. Records whose row went otherwise (a range clear) just go.
 */
final class TombstoneCollector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TombstoneCollector.class);
  private static final int BATCH = 1000;
  /** Longest a scheduled pass waits for a clean cut (see {@link VersionCut#tryCurrent}). */
  static final int CUT_WAIT_MILLIS = 200;

  private final DataSource dataSource;
  private final Statements sql;
  private final long waitNanos;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private final ScheduledExecutorService executor;
  /** One pass at a time (scheduled and test-driven runs); a lock, not a monitor: passes block on I/O. */
  private final ReentrantLock passLock = new ReentrantLock();

  TombstoneCollector(DataSource dataSource, Statements sql, long maxAgeNanos, long intervalMillis) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.waitNanos = maxAgeNanos + maxAgeNanos / 10 + TimeUnit.SECONDS.toNanos(1);
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tito-jdbc-gc-" + sql.channel);
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::runQuietly, intervalMillis, intervalMillis,
        TimeUnit.MILLISECONDS);
  }

  private void runQuietly() {
    try {
      run();
    } catch (SQLException | RuntimeException e) {
      LOG.warn("collecting tombstones of {} failed; retrying at the next run", sql.kvTable, e);
    }
  }

  /** One collection pass; returns the number of tombstones deleted. Visible for tests. */
  int run() throws SQLException {
    return onePass(false);
  }

  /**
   * Collects every tombstone and range-clear record at or below the current commit version, without
   * waiting for {@code maxTransactionAge}: transactions open across the call may miss conflicts with
   * the deleted records. For tests that race collection against commits.
   */
  int runIgnoringAge() throws SQLException {
    return onePass(true);
  }

  private int onePass(boolean ignoreAge) throws SQLException {
    passLock.lock();
    try {
      return withConnection(c -> collect(c, ignoreAge));
    } finally {
      passLock.unlock();
    }
  }

  private interface Work {
    int apply(Connection c) throws SQLException;
  }

  private int withConnection(Work work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        return work.apply(c);
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  private int collect(Connection c, boolean ignoreAge) throws SQLException {
    // A clean cut (see VersionCut): every commit at or below it has finished by now. A scheduled
    // pass waits at most CUT_WAIT_MILLIS for commits in flight (new ones queue behind it
    // meanwhile), else it skips this sample.
    long version = ignoreAge ? VersionCut.current(c, sql) : VersionCut.tryCurrent(c, sql, CUT_WAIT_MILLIS);
    c.commit();
    if (version < 0) {
      return 0;
    }
    if (ignoreAge) {
      return deleteAtOrBelow(c, version);
    }
    long now = System.nanoTime();
    samples.addLast(new long[] {now, version});
    long horizon = -1;
    while (!samples.isEmpty() && now - samples.peekFirst()[0] >= waitNanos) {
      horizon = samples.removeFirst()[1];
    }
    return horizon <= 0 ? 0 : deleteAtOrBelow(c, horizon);
  }

  private int deleteAtOrBelow(Connection c, long sampledHorizon) throws SQLException {
    // Retention holds of the change feed: changes above the lowest hold are not backed up yet.
    long horizon = sampledHorizon;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.minHold)) {
      if (rs.next()) {
        long lowest = rs.getLong(1);
        if (!rs.wasNull()) {
          horizon = Math.min(horizon, lowest);
        }
      }
    }
    c.commit();
    touchBeforeDeleting(c, horizon);
    int total = 0;
    long[] batch;
    do {
      batch = deleteBatch(c, sql.gcTombstones, horizon);
      total += (int) batch[1];
    } while (batch[0] >= BATCH);
    delete(c, sql.gcClears, horizon);
    delete(c, sql.gcChanges, horizon);
    LOG.debug("collected {} tombstones of {} at or below version {}", total, sql.kvTable, horizon);
    return total;
  }

  /**
   * PostgreSQL: before tombstones are deleted, updates the version row under the exclusive store
   * lock, so that a commit inside a snapshot that misses the update (it may miss the tombstones'
   * commits too) takes the READ COMMITTED path, whose age check comes after its conflict check
   * (see {@link SnapshotCommit}). A commit that holds the store lock before this one finishes
   * its upsert before any deletion. Nothing is done when no tombstone is due.
   */
  private void touchBeforeDeleting(Connection c, long horizon) throws SQLException {
    if (sql.touchVersionRow == null) {
      return;
    }
    try {
      for (String s : sql.dialect.readCommittedSql()) {
        try (Statement st = c.createStatement()) {
          st.execute(s);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(sql.anyTombstone)) {
        ps.setLong(1, horizon);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            c.commit();
            return;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(sql.lockStore)) {
        ps.setInt(1, Statements.STORE_LOCK_CLASS);
        ps.setInt(2, sql.storeLockId);
        ps.execute();
      }
      try (Statement st = c.createStatement()) {
        st.executeUpdate(sql.touchVersionRow);
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  private int delete(Connection c, String statement, long horizon) throws SQLException {
    return (int) deleteBatch(c, statement, horizon)[1];
  }

  /**
   * Runs a delete of records at or below {@code horizon} in a READ COMMITTED transaction of its
   * own; returns the records of its batch and the rows deleted: its count for both, or the row a
   * query form yields (PostgreSQL's tombstones: records read, tombstones deleted).
   */
  private long[] deleteBatch(Connection c, String statement, long horizon) throws SQLException {
    try {
      for (String s : sql.dialect.readCommittedSql()) {
        try (Statement st = c.createStatement()) {
          st.execute(s);
        }
      }
      long[] n;
      try (PreparedStatement ps = c.prepareStatement(statement)) {
        for (int i = 1; i <= parameters(statement); i++) {
          ps.setLong(i, horizon);
        }
        if (ps.execute()) {
          try (ResultSet rs = ps.getResultSet()) {
            rs.next();
            n = new long[] {rs.getLong(1), rs.getLong(2)};
          }
        } else {
          n = new long[] {ps.getUpdateCount(), ps.getUpdateCount()};
        }
      }
      c.commit();
      return n;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  private static int parameters(String statement) {
    return (int) statement.chars().filter(ch -> ch == '?').count();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
