package io.tito.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How a transaction's snapshot and the store's version are read, per dialect.
 *
 * <p>On PostgreSQL commits run in parallel (see {@link PipelinedCommit}): each takes its version
 * from a sequence while holding the store lock in shared mode, so at a given moment a commit with
 * a lower version may still be in flight while one with a higher version is already visible. An
 * ordinary transaction does not care: it only needs its snapshot's transaction ids for the
 * conflict check. A reader that needs a <em>clean cut</em>, a version {@code V} such that its
 * snapshot holds every commit up to {@code V} and none after (change feed, backups, retention
 * holds, tombstone collection), takes the store lock exclusively: that waits for every commit in
 * flight, and no commit takes a version until the lock is released. A long reader takes it only
 * while its snapshot is taken (a session-level lock released in the same round trip).
 *
 * <p>On MariaDB commits are serialised by the version row, whose value is a clean cut in any
 * snapshot. Stateless.
 */
final class VersionCut {

  /**
   * A snapshot's version ({@code -1} when an ordinary PostgreSQL snapshot does not know one) and,
   * on PostgreSQL, its transaction ids ({@code pg_current_snapshot()} as text), else {@code null},
   * and its stamp horizon's version ({@code -1} when not read with the snapshot).
   *
   * <p><b>Stamp horizon (PostgreSQL).</b> A stamped commit's stamp version is its transaction id
   * plus the store's {@code stamp_base} (see {@link PipelinedCommit}). Every transaction whose id
   * is below the snapshot's {@code xmin} ({@code pg_snapshot_xmin}) had ended when the snapshot was
   * taken, so it is in the snapshot if it committed, and every transaction that gets an id later
   * gets one at or above {@code xmin}: the stamped keys below {@code xmin + stamp_base} that the
   * snapshot holds are final. {@code xmin} never decreases from one snapshot to a later one.
   */
  record Snapshot(long version, String transactionIds, long stampHorizon) {}

  private VersionCut() {}

  /** Opens the snapshot of the transaction just begun on {@code c}, without a clean cut. */
  static Snapshot begin(Connection c, Statements sql) throws SQLException {
    if (sql.beginSnapshot == null) {
      return new Snapshot(readOne(c, sql.snapshotVersion), null, -1);
    }
    try (PreparedStatement ps = c.prepareStatement(sql.beginSnapshot); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Snapshot(-1, rs.getString(1), rs.getLong(2));
    }
  }

  /**
   * Opens the snapshot of a read-only transaction: on PostgreSQL nothing is sent, the REPEATABLE
   * READ snapshot is taken by the transaction's first read (one round trip saved; a read-only
   * transaction needs no snapshot ids, since it never commits writes, and its version is unknown
   * ({@code -1}) as for any ordinary PostgreSQL snapshot). The snapshot is then at least as fresh
   * as at {@code begin}, which the engine contract allows (the kit's {@code Kit.pin} reads once
   * for that reason), and the age limit still counts from {@code begin}.
   */
  static Snapshot beginReadOnly(Connection c, Statements sql) throws SQLException {
    return beginDeferred(c, sql);
  }

  /**
   * Opens a snapshot to be taken later (PostgreSQL: nothing is sent; the first read takes it, in a
   * write transaction together with its ids, see {@link Statements#snapshotThenGet}; a write
   * transaction that reads nothing reads them with {@link #begin} before it commits). The same
   * argument as for {@link #beginReadOnly}: the snapshot is at least as fresh as at {@code begin}.
   * Elsewhere exactly {@link #begin}.
   */
  static Snapshot beginDeferred(Connection c, Statements sql) throws SQLException {
    return sql.beginSnapshot == null ? begin(c, sql) : new Snapshot(-1, null, -1);
  }

  /**
   * MariaDB with multi-statement queries: nothing is sent; the snapshot's version is read by the
   * transaction's first read, in the same statement ({@link JdbcTransaction}), since InnoDB's read
   * view is created by the first read of the transaction, whichever statement it is (the version
   * and what the read returns then come from one snapshot, at least as fresh as at {@code
   * begin}). A write transaction that reads nothing has its snapshot at its commit.
   */
  static Snapshot unread() {
    return new Snapshot(-1, null, -1);
  }

  /**
   * Opens a snapshot at a clean cut on {@code c} (whose transaction may have run statements: on
   * PostgreSQL it is ended and a new one begun), in one round trip. On failure the connection
   * must not be reused unless {@link #releaseQuietly} succeeded.
   */
  static Snapshot beginAtCut(Connection c, Statements sql) throws SQLException {
    if (sql.cutSnapshot == null) {
      return new Snapshot(readOne(c, sql.snapshotVersion), null, -1);
    }
    try (PreparedStatement ps = c.prepareStatement(sql.cutSnapshot)) {
      ps.setInt(1, Statements.STORE_LOCK_CLASS);
      ps.setInt(2, sql.storeLockId);
      ps.setInt(3, Statements.STORE_LOCK_CLASS);
      ps.setInt(4, sql.storeLockId);
      // Result sets in order: the lock, the version and snapshot, the unlock.
      boolean isResultSet = ps.execute();
      int resultSets = 0;
      Snapshot out = null;
      while (isResultSet || ps.getUpdateCount() != -1) {
        if (isResultSet) {
          try (ResultSet rs = ps.getResultSet()) {
            if (resultSets == 1 && rs.next()) {
              out = new Snapshot(rs.getLong(1), rs.getString(2), rs.getLong(3));
            }
          }
          resultSets++;
        }
        isResultSet = ps.getMoreResults();
      }
      if (out == null || resultSets != 3) {
        throw new SQLException("the snapshot pipeline returned " + resultSets + " result sets", "TT002");
      }
      return out;
    } catch (SQLException | RuntimeException e) {
      releaseQuietly(c);
      throw e;
    }
  }

  /**
   * Releases a session-level store lock a failed {@link #beginAtCut} may have left; returns
   * whether the connection is clean again.
   */
  static boolean releaseQuietly(Connection c) {
    try {
      c.rollback();
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock_all()")) {
        ps.executeQuery().close();
      }
      c.rollback();
      return true;
    } catch (SQLException e) {
      return false; // the connection is gone, and the server released its locks with it
    }
  }

  /**
   * The store's version as a clean cut, read in the current transaction of {@code c}: on
   * PostgreSQL this waits for the commits in flight and keeps new ones from taking a version
   * until the transaction ends.
   */
  static long current(Connection c, Statements sql) throws SQLException {
    if (sql.lockStore == null) {
      return readOne(c, sql.snapshotVersion);
    }
    lockStore(c, sql, sql.lockStore);
    return readOne(c, sql.lastVersion);
  }

  /**
   * Like {@link #current} but waiting at most {@code maxWaitMillis} for the commits in flight
   * (new commits queue behind the request meanwhile, so the wait is about one commit's duration
   * on a busy store): {@code -1} if they did not finish in time.
   */
  static long tryCurrent(Connection c, Statements sql, int maxWaitMillis) throws SQLException {
    if (sql.tryLockStore == null) {
      return readOne(c, sql.snapshotVersion);
    }
    if (lockStore(c, sql, sql.tryLockStore)) {
      return readOne(c, sql.lastVersion);
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
      ps.setString(1, maxWaitMillis + "ms");
      ps.executeQuery().close();
    }
    try {
      lockStore(c, sql, sql.lockStore);
    } catch (SQLException e) {
      if ("55P03".equals(e.getSQLState())) { // lock_not_available: the wait timed out
        c.rollback();
        return -1;
      }
      throw e;
    }
    return readOne(c, sql.lastVersion);
  }

  private static boolean lockStore(Connection c, Statements sql, String lockSql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(lockSql)) {
      ps.setInt(1, Statements.STORE_LOCK_CLASS);
      ps.setInt(2, sql.storeLockId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Object got = rs.getObject(1);
        return !(got instanceof Boolean b) || b;
      }
    }
  }

  /**
   * The stamp horizon's version of the snapshot of the transaction open on {@code c} (PostgreSQL;
   * the first statement of a read-only transaction takes its snapshot).
   */
  static long stampHorizon(Connection c, Statements sql) throws SQLException {
    return readOne(c, sql.stampHorizon);
  }

  /**
   * The stamp horizon's version for a snapshot not yet taken on {@code c} (a read-only transaction
   * before its first read), bounded by the store's own commits in flight rather than by every
   * transaction of the cluster; in one round trip it reads the lock table, ends the transaction
   * and begins the REPEATABLE READ transaction whose snapshot the next statement takes.
   *
   * <p>Why it is a horizon: a commit takes the store lock (shared or exclusive) before its
   * transaction id is assigned and holds it until it has ended. Let {@code q} be the moment the
   * lock table is read and {@code n} the next id when the statement began. A stamped commit with
   * id {@code x} below the result {@code H = min(n, lowest id among the lock's holders at q)} got
   * its id before {@code n}, so before {@code q}; it is not among the holders at {@code q}, so it
   * had ended by {@code q}; the snapshot is taken after {@code q}, so it holds the commit if it
   * committed. It never goes backwards for later readings of the same kind: a holder at a later
   * moment with an id below {@code H} would have been running, holding the lock, at {@code q}.
   * Transactions of other stores and other applications do not hold it back.
   */
  static long stampHorizonBeforeSnapshot(Connection c, Statements sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.stampHorizonBeforeSnapshot)) {
      ps.setLong(1, Statements.STORE_LOCK_CLASS);
      ps.setLong(2, Integer.toUnsignedLong(sql.storeLockId));
      boolean isResultSet = ps.execute();
      long out = -1;
      while (isResultSet || ps.getUpdateCount() != -1) {
        if (isResultSet && out < 0) {
          try (ResultSet rs = ps.getResultSet()) {
            if (rs.next()) {
              out = rs.getLong(1);
            }
          }
        }
        isResultSet = ps.getMoreResults();
      }
      if (out < 0) {
        throw new SQLException("the stamp horizon query returned no row", "TT002");
      }
      return out;
    }
  }

  private static long readOne(Connection c, String query) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query); ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the store's version row is missing", "TT001");
      }
      return rs.getLong(1);
    }
  }
}
