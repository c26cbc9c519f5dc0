package io.tito.jdbc;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import io.tito.spi.WriteSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Applies a transaction's write set with first-committer-wins: on PostgreSQL in parallel (see
 * {@link PipelinedCommit}), elsewhere (MariaDB) as follows.
 *
 * <p>Commits of one store are serialised by a row lock on the store's version row (an {@code
 * UPDATE ... RETURNING} that also takes the next version where the dialect has it, else {@code
 * SELECT ... FOR UPDATE} and an update after the writes); each commit gets the next version and
 * stamps it on every row it writes. Everything that need not be serialised (notifications) is sent
 * before the lock. A point clear leaves a tombstone row (value {@code NULL}) and a range clear leaves a
 * record in the clears table, so that a later commit can tell that a key it writes was written
 * after its snapshot even if the key is now absent. The check under the lock is exact: the
 * transaction conflicts iff a commit with a version above its snapshot version wrote a point it
 * writes, a point inside a range it clears, or a range overlapping one of its writes. Tombstones
 * and clear records are collected once no transaction can still commit with an older snapshot
 * (see {@link TombstoneCollector}). While a retention hold exists, each commit also logs its
 * ranges and points in the change log ({@link JdbcChangeFeed}). Thread-safe (stateless per call).
 */
final class CommitWriter {

  private final Statements sql;
  private final Errors errors;
  private final long maxAgeNanos;
  private final OwnBackends ownBackends;
  /** The two-round-trip protocol where the dialect has one, else {@code null}. */
  private final PipelinedCommit pipelined;
  /** MariaDB's commit in two multi-statement queries where connections allow them, else null. */
  private final MultiStatementCommit multiStatement;

  /**
   * @param checkedHook where the dialect commits in parallel, supplies what runs inside each
   *     commit once its checks passed, holding its locks (a test pause point), or null
   */
  CommitWriter(Statements sql, Errors errors, long maxAgeNanos, OwnBackends ownBackends,
      java.util.function.Supplier<Runnable> checkedHook, boolean multiStatements) {
    this.pipelined = sql.pipelinedLock == null
        ? null : new PipelinedCommit(sql, errors, maxAgeNanos, ownBackends, checkedHook);
    this.multiStatement = pipelined == null && multiStatements
        ? new MultiStatementCommit(sql, errors, maxAgeNanos) : null;
    this.sql = sql;
    this.errors = errors;
    this.maxAgeNanos = maxAgeNanos;
    this.ownBackends = ownBackends;
  }

  /** For tests (PostgreSQL): see {@link PipelinedCommit#sendsChangeLogForTest(boolean)}. */
  boolean sendsChangeLogForTest(boolean appends) {
    return pipelined.sendsChangeLogForTest(appends);
  }

  /** For tests (PostgreSQL): see {@link PipelinedCommit#blindAppendCommitsForTest()}. */
  long blindAppendCommitsForTest() {
    return pipelined.blindAppendCommitsForTest();
  }

  /** For tests: makes the notifications sent after a parallel commit (PostgreSQL) fail. */
  void failNotificationsForTest(boolean fail) {
    pipelined.failNotificationsForTest(fail);
  }

  /**
   * Whether a transaction may ask for relaxed durability ({@link
   * io.tito.spi.Capability#RELAXED_DURABILITY}): on PostgreSQL, where the one-round append commit
   * sets {@code synchronous_commit = off} for its data transaction.
   */
  boolean relaxedDurability() {
    return sql.appendCommit != null;
  }

  /** For tests (MariaDB with multi-statement queries): the engine's {@link CommitGroup}. */
  CommitGroup commitGroupForTest() {
    return multiStatement.group();
  }

  /**
   * For tests (PostgreSQL): the engine's group of publishes that read nothing ({@link
   * AppendGroup}) with the given durability.
   */
  CommitGroup appendGroupForTest(boolean relaxed) {
    return pipelined.appendGroupForTest(relaxed);
  }

  /**
   * For tests (PostgreSQL): the engine's group of point writes and stamped keys that read
   * nothing ({@link AppendGroup}).
   */
  CommitGroup stampedGroupForTest() {
    return pipelined.stampedGroupForTest();
  }

  /** Whether commits go in two multi-statement queries ({@link MultiStatementCommit}). */
  boolean multiStatement() {
    return multiStatement != null;
  }

  /**
   * Whether the commit of {@code writes} judges their expectations itself: PostgreSQL's commit
   * inside the snapshot transaction ({@link SnapshotCommit}) and its one-round append commit
   * ({@link AppendCommit}) read them in their check statements, MariaDB's two-query commit
   * ({@link MultiStatementCommit}) with its reads.
   */
  boolean checksExpectations(WriteSet writes) {
    return pipelined != null ? PipelinedCommit.checksExpectations(writes)
        : multiStatement != null && MultiStatementCommit.eligible(writes);
  }

  /** Whether some commits judge expectations themselves ({@link #checksExpectations}). */
  boolean defersExpectations() {
    return pipelined != null || multiStatement != null;
  }

  /** Whether commits on disjoint keys run in parallel ({@link PipelinedCommit}). */
  boolean parallel() {
    return pipelined != null;
  }

  /**
   * Commits {@code writes} of the transaction whose snapshot is {@code snapshot} on {@code c};
   * {@code relaxed}: it may return before the commit is durable (PostgreSQL only, see {@link
   * #relaxedDurability}).
   */
  void commit(Connection c, VersionCut.Snapshot snapshot, long beganNanos, WriteSet writes,
      Collection<String> channels, boolean relaxed) {
    if (pipelined != null) {
      pipelined.commit(c, snapshot.transactionIds(), beganNanos, writes, channels, relaxed);
      return;
    }
    long snapshotVersion = snapshot.version();
    if (multiStatement != null && MultiStatementCommit.eligible(writes)) {
      multiStatement.commit(c, snapshotVersion, beganNanos, writes); // no notifications: MariaDB
      return;
    }
    try {
      c.commit(); // ends the snapshot transaction, which wrote nothing
      for (String s : sql.dialect.commitPreludeSql()) {
        try (Statement st = c.createStatement()) {
          st.execute(s);
        }
      }
      // Notifications are delivered only if the transaction commits, so they can be sent before
      // the version row is locked, keeping their round trip out of the serialised section.
      notify(c, channels);
      boolean bumped = sql.lockAndBumpVersion != null;
      long current = bumped ? lockVersion(c, sql.lockAndBumpVersion) : lockVersion(c, sql.lockVersion);
      // An unread snapshot (-1, see VersionCut#unread: nothing was read) is taken under the lock.
      if (snapshotVersion >= 0 && current != snapshotVersion) {
        checkConflicts(c, snapshotVersion, writes);
      }
      // After the conflict checks: the collector relies on this order (see TombstoneCollector).
      if (System.nanoTime() - beganNanos > maxAgeNanos) {
        throw ageConflict(sql.dialect.name(), beganNanos);
      }
      long version = current + 1;
      // COMMIT_ORDERED_KEYS: the version row lock serialises commits, so versions are taken and
      // become visible in one order.
      writes.materialiseStamps(version);
      // COMMIT_SEQUENCED_APPENDS: the version row lock serialises commits, so the counters read
      // now (READ COMMITTED: the statement sees every earlier commit) are the latest.
      materialiseSequences(c, sql, writes);
      apply(c, version, writes);
      // Read after the version row lock (placing a hold reads that row with a shared lock), so a
      // commit after a hold's version sees the hold and logs its changes.
      if (holdExists(c)) {
        logChanges(c, version, writes);
      }
      if (!bumped) {
        try (PreparedStatement ps = c.prepareStatement(sql.writeVersion)) {
          ps.setLong(1, version);
          ps.executeUpdate();
        }
      }
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw errors.beforeCommit("prepare commit", e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
    try {
      c.commit();
    } catch (SQLException e) {
      throw errors.duringCommit(e);
    }
  }

  /**
   * Materialises {@code writes}' sequenced appends from the counters' latest committed values,
   * read on {@code c} by a statement of its own under READ COMMITTED; the caller holds what
   * orders the counters' commits (the version row lock, or the counters' key locks).
   */
  static void materialiseSequences(Connection c, Statements sql, WriteSet writes) throws SQLException {
    if (!writes.hasSequenced()) {
      return;
    }
    SQLException[] failure = new SQLException[1];
    writes.materialiseSequences(keys -> {
      try {
        return latest(c, sql, keys);
      } catch (SQLException e) {
        failure[0] = e;
        throw new IllegalStateException(e);
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  /** The committed values of {@code keys} in their order, null where absent or a tombstone. */
  private static List<byte[]> latest(Connection c, Statements sql, List<byte[]> keys) throws SQLException {
    Map<java.nio.ByteBuffer, byte[]> found = new java.util.HashMap<>();
    for (int from = 0; from < keys.size(); from += Statements.IN_CHUNK) {
      List<byte[]> chunk = keys.subList(from, Math.min(keys.size(), from + Statements.IN_CHUNK));
      try (PreparedStatement ps = c.prepareStatement(sql.getMany(chunk.size()))) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setBytes(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            byte[] v = rs.getBytes(2);
            if (v != null) {
              found.put(java.nio.ByteBuffer.wrap(rs.getBytes(1)), v);
            }
          }
        }
      }
    }
    List<byte[]> out = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      out.add(found.get(java.nio.ByteBuffer.wrap(key)));
    }
    return out;
  }

  /** Runs {@code lockSql} (locks the version row) and returns the version it yields. */
  private static long lockVersion(Connection c, String lockSql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(lockSql); ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the store's version row is missing", "TT001");
      }
      return rs.getLong(1);
    }
  }

  private void checkConflicts(Connection c, long snapshot, WriteSet writes) throws SQLException {
    // Range clears committed since the snapshot, against every write of this transaction.
    try (PreparedStatement ps = c.prepareStatement(sql.clearsSince)) {
      ps.setLong(1, snapshot);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ConflictException e = clearConflict(sql.dialect.name(), writes, rs.getBytes(1),
              rs.getBytes(2), snapshot);
          if (e != null) {
            throw e;
          }
        }
      }
    }
    // Points (values and tombstones) written since the snapshot.
    List<byte[]> keys = new ArrayList<>(writes.points().keySet());
    for (int from = 0; from < keys.size(); from += Statements.IN_CHUNK) {
      List<byte[]> chunk = keys.subList(from, Math.min(keys.size(), from + Statements.IN_CHUNK));
      try (PreparedStatement ps = c.prepareStatement(sql.pointsChanged(chunk.size()))) {
        ps.setLong(1, snapshot);
        for (int i = 0; i < chunk.size(); i++) {
          ps.setBytes(i + 2, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            throw conflict(rs.getBytes(1), snapshot, "the key was written");
          }
        }
      }
    }
    // Keys inside this transaction's cleared ranges written since the snapshot.
    for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
      try (PreparedStatement ps = c.prepareStatement(sql.rangeChanged)) {
        ps.setBytes(1, r.getKey());
        ps.setBytes(2, r.getValue());
        ps.setLong(3, snapshot);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            throw conflict(rs.getBytes(1), snapshot, "a key inside a cleared range was written");
          }
        }
      }
    }
  }

  private void apply(Connection c, long version, WriteSet writes) throws SQLException {
    Map<byte[], byte[]> ranges = writes.clearedRangeMap();
    if (!ranges.isEmpty()) {
      try (PreparedStatement del = c.prepareStatement(sql.deleteRange);
          PreparedStatement rec = c.prepareStatement(sql.insertClear)) {
        for (Map.Entry<byte[], byte[]> r : ranges.entrySet()) {
          del.setBytes(1, r.getKey());
          del.setBytes(2, r.getValue());
          del.addBatch();
          rec.setLong(1, version);
          rec.setBytes(2, r.getKey());
          rec.setBytes(3, r.getValue());
          rec.addBatch();
        }
        del.executeBatch();
        rec.executeBatch();
      }
    }
    if (!writes.points().isEmpty()) {
      try (PreparedStatement up = c.prepareStatement(sql.upsert)) {
        for (Map.Entry<byte[], byte[]> w : writes.points().entrySet()) {
          up.setBytes(1, w.getKey());
          setNullableBytes(up, 2, w.getValue());
          up.setLong(3, version);
          up.addBatch();
        }
        up.executeBatch();
      }
    }
  }

  private boolean holdExists(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.holdsExist); ResultSet rs = ps.executeQuery()) {
      return rs.next() && rs.getLong(1) > 0;
    }
  }

  /** The commit's ranges (kind 0, end in {@code v}) and points (kind 1) in the change log. */
  private void logChanges(Connection c, long version, WriteSet writes) throws SQLException {
    long time = System.currentTimeMillis();
    try (PreparedStatement ps = c.prepareStatement(sql.insertChange)) {
      int seq = 0;
      for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
        addChange(ps, version, 0, ++seq, time, r.getKey(), r.getValue());
      }
      seq = 0;
      for (Map.Entry<byte[], byte[]> w : writes.points().entrySet()) {
        addChange(ps, version, 1, ++seq, time, w.getKey(), w.getValue());
      }
      ps.executeBatch();
    }
  }

  private static void addChange(PreparedStatement ps, long version, int kind, int seq, long time,
      byte[] key, byte[] value) throws SQLException {
    ps.setLong(1, version);
    ps.setInt(2, kind);
    ps.setInt(3, seq);
    ps.setLong(4, time);
    ps.setBytes(5, key);
    setNullableBytes(ps, 6, value);
    ps.addBatch();
  }

  /** Binds {@code value} at {@code index}, SQL NULL (a tombstone, a range's open end) if null. */
  static void setNullableBytes(PreparedStatement ps, int index, byte[] value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARBINARY);
    } else {
      ps.setBytes(index, value);
    }
  }

  private void notify(Connection c, Collection<String> channels) throws SQLException {
    if (channels.isEmpty() || sql.notify == null) {
      return;
    }
    ownBackends.record(c);
    try (PreparedStatement ps = c.prepareStatement(sql.notify)) {
      for (String channel : channels) {
        ps.setString(1, sql.channel);
        ps.setString(2, channel);
        ps.executeQuery().close();
      }
    }
  }

  private ConflictException conflict(byte[] key, long snapshot, String reason) {
    return conflict(sql.dialect.name(), key, snapshot, reason);
  }

  static ConflictException conflict(String engine, byte[] key, long snapshot, String reason) {
    return new ConflictException("a concurrent transaction committed a write to a key this one writes",
        Map.of("engine", engine, "key", ByteArrays.printable(key),
            "snapshotVersion", snapshot, "reason", reason));
  }

  /** A commit refused because its transaction began over the store's maxTransactionAge ago. */
  static ConflictException ageConflict(String engine, long beganNanos) {
    return new ConflictException("transaction is older than the store's maxTransactionAge",
        Map.of("engine", engine, "ageMillis", (System.nanoTime() - beganNanos) / 1_000_000));
  }

  /**
   * The conflict of {@code writes} with a range {@code [b, e)} cleared after the snapshot: a
   * point write inside it, or a cleared range overlapping it; null if neither.
   */
  static ConflictException clearConflict(String engine, WriteSet writes, byte[] b, byte[] e,
      long snapshot) {
    var inside = writes.points().subMap(b, true, e, false);
    if (!inside.isEmpty()) {
      return conflict(engine, inside.firstKey(), snapshot, "a range containing the key was cleared");
    }
    for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
      if (ByteArrays.compare(r.getKey(), e) < 0 && ByteArrays.compare(b, r.getValue()) < 0) {
        return conflict(engine, r.getKey(), snapshot, "an overlapping range was cleared");
      }
    }
    return null;
  }

  /** Rolls back, ignoring a failure (the server rolls back a lost connection's transaction). */
  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is gone; the server rolls the transaction back itself.
    }
  }
}
