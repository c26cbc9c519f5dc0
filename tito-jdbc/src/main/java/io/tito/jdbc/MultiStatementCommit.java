package io.tito.jdbc;

import static io.tito.jdbc.CommitWriter.rollbackQuietly;
import static io.tito.jdbc.CommitWriter.setNullableBytes;

import io.tito.ConflictException;
import io.tito.spi.Expectations;
import io.tito.spi.WriteSet;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MariaDB's commit in two rounds (issue 16): {@link CommitWriter}'s version-row protocol with its
 * statements sent as two multi-statement queries instead of one round trip each, so the version
 * row lock, which serialises the store's commits, is held for one client round trip and the
 * server's work instead of seven round trips.
 *
 * <pre>
 * round 1: COMMIT (the snapshot) ; the dialect's commit prelude (none on MariaDB) ;
 *          UPDATE meta SET version = LAST_INSERT_ID(version + 1) (locks the row) ; one UNION ALL
 *          of: the new version, clears after the snapshot, written points changed after it, per
 *          cleared range a key in it changed after it, the counters' values, whether a hold
 *          exists (and, for a transaction that read nothing, the expected keys' values;
 *          one that read reads them in its snapshot by a statement before that COMMIT)
 * client:  the same judgement as before (a hit rolls back: a ConflictException, nothing written);
 *          the expectations against the values read;
 *          the age check; stamps and positions from the version and the counters
 * round 2: range deletes and clear records ; the points (one multi-row upsert) ; the change log
 *          (while a hold exists) ; COMMIT
 * </pre>
 *
 * <p>Exact for the same reasons as the one-statement-per-round-trip protocol: the commit
 * transaction's InnoDB read view is created by its first consistent read, the {@code UNION ALL},
 * which starts once the version row's update holds the lock, so it reads every earlier commit,
 * and no commit can happen until this one's {@code COMMIT}. MariaDB stops a multi-statement query at
 * its first failing statement, so a rejected statement of round 2 leaves the {@code COMMIT}
 * unsent: a known failure, rolled back; only a lost connection leaves the outcome unknown.
 *
 * <p>Needs the connection to accept several statements per query ({@code allowMultiQueries}:
 * set on the pools the engine owns, detected at open on a supplied data source). Write sets above
 * {@link #MAX_BYTES} or {@link #MAX_ROWS} keep the statement-per-round-trip protocol (a query must
 * fit the server's {@code max_allowed_packet}).
 *
 * <p>Commits of this engine that arrive while one of its commits is in progress queue in its
 * {@link CommitGroup} and are then sent together, in these two queries ({@link GroupCommit}): one
 * version row lock and one log flush for the group instead of one per commit. The group's leader
 * waits up to {@link CommitGroup#LINGER_NANOS} for its batch to be as large as the last one, so
 * that committers that come back together from a batch are sent together again. Thread-safe.
 */
final class MultiStatementCommit {

  /** The largest write set (keys and values) sent in one query. */
  static final long MAX_BYTES = 512 * 1024;
  /** The most points, ranges and appends sent in one query. */
  static final int MAX_ROWS = 1_000;

  private final Statements sql;
  private final Errors errors;
  private final long maxAgeNanos;
  private final CommitGroup group;
  private final GroupCommit together;

  MultiStatementCommit(Statements sql, Errors errors, long maxAgeNanos) {
    this.sql = sql;
    this.errors = errors;
    this.maxAgeNanos = maxAgeNanos;
    this.together = new GroupCommit(sql, errors, maxAgeNanos);
    this.group = new CommitGroup(sql.dialect.name(), 1, CommitGroup.LINGER_NANOS);
  }

  /** The engine's commit group (for tests). */
  CommitGroup group() {
    return group;
  }

  /** Whether {@code writes} is small enough for two queries (see the class comment). */
  static boolean eligible(WriteSet writes) {
    return rows(writes) <= MAX_ROWS && writes.bytes() <= MAX_BYTES;
  }

  /** The rows {@code writes} puts in a commit's queries (the measure of {@link #MAX_ROWS}). */
  static int rows(WriteSet writes) {
    return writes.points().size() + writes.clearedRangeMap().size()
        + writes.sequencedWrites().size() + writes.sequenceCounters().size()
        + writes.stampedWrites().size() + writes.expectations().size();
  }

  /**
   * Whether a commit may be sent with others ({@link CommitGroup}): no range clear (its order
   * against the others' points would matter), and no expectations to judge in a snapshot it read
   * (that statement runs on its own connection, before the {@code COMMIT} that ends the snapshot).
   */
  static boolean groupable(long snapshot, WriteSet writes) {
    return writes.clearedRangeMap().isEmpty() && (snapshot < 0 || writes.expectations().isEmpty());
  }

  /**
   * Commits {@code writes} of the transaction whose snapshot version is {@code snapshot}, or -1
   * if it read nothing ({@link VersionCut#unread}): its snapshot is then the lock's. A commit that
   * {@linkplain #groupable may} joins the engine's {@link CommitGroup}: alone if no other commit
   * of the engine is in progress, else with those that queued meanwhile.
   */
  void commit(Connection c, long snapshot, long beganNanos, WriteSet writes) {
    if (!groupable(snapshot, writes)) {
      commitAlone(c, snapshot, beganNanos, writes);
      return;
    }
    group.commit(new CommitGroup.Member(c, snapshot, beganNanos, writes), batch -> {
      if (batch.size() > 1) {
        together.commit(batch);
        return;
      }
      CommitGroup.Member m = batch.get(0);
      try {
        commitAlone(m.connection, m.snapshot, m.beganNanos, m.writes);
        m.committed = true;
      } catch (RuntimeException e) {
        m.failure = e;
      }
    });
  }

  private void commitAlone(Connection c, long snapshot, long beganNanos, WriteSet writes) {
    List<byte[]> points = new ArrayList<>(writes.points().keySet());
    Map<byte[], byte[]> ranges = writes.clearedRangeMap();
    List<byte[]> counters = writes.sequenceCounters();
    long current;
    boolean hold;
    try {
      List<WriteSet.Expectation> expected = writes.expectations();
      Round1 r = lockAndRead(c, snapshot, points, ranges, counters, expected);
      current = r.version;
      hold = r.hold;
      r.judge(expected);
      // An unread snapshot (-1: the transaction read nothing) is taken here, under the lock.
      if (snapshot >= 0 && current != snapshot) {
        ConflictException conflict = r.conflict(sql.dialect.name(), writes, snapshot);
        if (conflict != null) {
          throw conflict;
        }
      }
      // After the conflict checks: the collector relies on this order (see TombstoneCollector).
      if (System.nanoTime() - beganNanos > maxAgeNanos) {
        throw CommitWriter.ageConflict(sql.dialect.name(), beganNanos);
      }
      writes.materialiseStamps(current + 1);
      writes.materialiseSequences(keys -> r.counterValues(keys));
    } catch (SQLException e) {
      rollbackQuietly(c);
      throw errors.beforeCommit("prepare commit", e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
    try {
      applyAndCommit(c, current + 1, writes, hold);
    } catch (SQLException e) {
      rollbackQuietly(c);
      // A statement the server rejected stopped the query before its COMMIT: nothing committed.
      if (errors.classify(e) == Errors.Kind.CONNECTION) {
        throw errors.duringCommit(e);
      }
      throw errors.beforeCommit("commit", e);
    }
  }

  /** What round 1 read under the version row lock. */
  private static final class Round1 {
    /** The version before this commit's (which is this plus one); -1 until read. */
    long version = -1;
    final List<byte[][]> clears = new ArrayList<>();
    byte[] pointChanged;
    byte[] rangeChanged;
    final Map<ByteBuffer, byte[]> counters = new HashMap<>();
    /** The expected keys' values as the snapshot holds them (null: a tombstone). */
    final Map<ByteBuffer, byte[]> expectedValues = new HashMap<>();
    boolean hold;

    /**
     * Judges the deferred reads: each expected key's value, read in the snapshot (before the
     * {@code COMMIT} that ends it, or under the lock for a transaction that read nothing and so
     * takes its snapshot there), against the expected one.
     */
    void judge(List<WriteSet.Expectation> expected) {
      for (WriteSet.Expectation e : expected) {
        Expectations.compare(e.key(), expectedValues.get(ByteBuffer.wrap(e.key())), e.value());
      }
    }

    ConflictException conflict(String engine, WriteSet writes, long snapshot) {
      for (byte[][] clear : clears) {
        ConflictException e = CommitWriter.clearConflict(engine, writes, clear[0], clear[1], snapshot);
        if (e != null) {
          return e;
        }
      }
      if (pointChanged != null) {
        return CommitWriter.conflict(engine, pointChanged, snapshot, "the key was written");
      }
      if (rangeChanged != null) {
        return CommitWriter.conflict(engine, rangeChanged, snapshot, "a key inside a cleared range was written");
      }
      return null;
    }

    /** One row of the reads' statement (see {@link #lockAndRead}). */
    void add(int tag, byte[] x, byte[] y, long n) {
      switch (tag) {
        case 5 -> version = n - 1;
        case 0 -> clears.add(new byte[][] {x, y});
        case 1 -> pointChanged = pointChanged == null ? x : pointChanged;
        case 2 -> rangeChanged = rangeChanged == null ? x : rangeChanged;
        case 3 -> {
          if (y != null) {
            counters.put(ByteBuffer.wrap(x), y);
          }
        }
        case 4 -> hold = true;
        case 6 -> expectedValues.put(ByteBuffer.wrap(x), y);
        default -> throw new IllegalStateException("unknown row tag " + tag);
      }
    }

    List<byte[]> counterValues(List<byte[]> keys) {
      List<byte[]> out = new ArrayList<>(keys.size());
      for (byte[] k : keys) {
        out.add(counters.get(ByteBuffer.wrap(k)));
      }
      return out;
    }
  }

  private Round1 lockAndRead(Connection c, long snapshot, List<byte[]> points,
      Map<byte[], byte[]> ranges, List<byte[]> counters, List<WriteSet.Expectation> expected)
      throws SQLException {
    // A transaction that read nothing (snapshot -1) takes its snapshot under the lock: its
    // expected keys are read there and there is nothing to check. One that read reads its
    // expected keys in its snapshot, by a statement before the COMMIT that ends it.
    boolean check = snapshot >= 0;
    StringBuilder q = new StringBuilder();
    int before = 0;
    if (check && !expected.isEmpty()) {
      appendExpected(q, expected.size()).append(";\n");
      before = 1;
    }
    q.append("COMMIT;\n");
    int prelude = before + sql.dialect.commitPreludeSql().size();
    for (String s : sql.dialect.commitPreludeSql()) {
      q.append(s).append(";\n");
    }
    // The lock (the version row's update, which also takes the next version), then one statement
    // for everything read under it (MariaDB's cost is mostly per statement): rows tagged 5 the
    // new version, 0 a clear after the snapshot, 1 a written point changed after it, 2 a key in a
    // cleared range changed after it, 3 a counter's value, 4 a hold exists, 6 an expected key's
    // row (key, value).
    q.append(sql.multiCommitBump).append(";\n").append(sql.multiCommitReadsVersion);
    if (check) {
      q.append(" UNION ALL ").append(sql.multiCommitReadsClears);
      for (int from = 0; from < points.size(); from += Statements.IN_CHUNK) {
        q.append(" UNION ALL ").append(sql.multiCommitReadsPoints(
            Math.min(Statements.IN_CHUNK, points.size() - from)));
      }
      for (int i = 0; i < ranges.size(); i++) {
        q.append(" UNION ALL ").append(sql.multiCommitReadsRange);
      }
    }
    for (int from = 0; from < counters.size(); from += Statements.IN_CHUNK) {
      q.append(" UNION ALL ").append(sql.multiCommitReadsCounters(
          Math.min(Statements.IN_CHUNK, counters.size() - from)));
    }
    if (!check && !expected.isEmpty()) {
      appendExpected(q.append(" UNION ALL "), expected.size());
    }
    q.append(" UNION ALL ").append(sql.multiCommitReadsHold);
    Round1 r = new Round1();
    try (PreparedStatement ps = c.prepareStatement(q.toString())) {
      int p = 1;
      if (check) {
        for (WriteSet.Expectation e : expected) {
          ps.setBytes(p++, e.key());
        }
        ps.setLong(p++, snapshot);
        for (int from = 0; from < points.size(); from += Statements.IN_CHUNK) {
          ps.setLong(p++, snapshot);
          for (byte[] k : points.subList(from, Math.min(points.size(), from + Statements.IN_CHUNK))) {
            ps.setBytes(p++, k);
          }
        }
        for (Map.Entry<byte[], byte[]> range : ranges.entrySet()) {
          ps.setBytes(p++, range.getKey());
          ps.setBytes(p++, range.getValue());
          ps.setLong(p++, snapshot);
        }
      }
      for (byte[] k : counters) {
        ps.setBytes(p++, k);
      }
      if (!check) {
        for (WriteSet.Expectation e : expected) {
          ps.setBytes(p++, e.key());
        }
      }
      runLockAndRead(ps, prelude, r::add, () -> r.version);
    }
    return r;
  }

  /** Takes the rows of a commit's first query: {@code (tag, x, y, n)}. */
  interface RowSink {
    void add(int tag, byte[] x, byte[] y, long n);
  }

  /**
   * Runs a commit's first query ({@code ps}: {@code COMMIT}, {@code prelude} statements, the
   * version row's update, one {@code UNION ALL}), its rows into {@code rows}; fails if the version
   * row was missing, or if the results were not those statements' or no version was read.
   */
  static void runLockAndRead(PreparedStatement ps, int prelude, RowSink rows,
      java.util.function.LongSupplier version) throws SQLException {
    int results = 0;
    boolean isResultSet = ps.execute();
    while (isResultSet || ps.getUpdateCount() != -1) {
      results++;
      if (isResultSet) {
        try (ResultSet rs = ps.getResultSet()) {
          while (rs.next()) {
            rows.add(rs.getInt(1), rs.getBytes(2), rs.getBytes(3), rs.getLong(4));
          }
        }
      } else if (results == prelude + 2 && ps.getUpdateCount() != 1) {
        throw new SQLException("the store's version row is missing", "TT001");
      }
      isResultSet = ps.getMoreResults();
    }
    if (results != prelude + 3 || version.getAsLong() < 0) {
      throw new SQLException("the commit query returned " + results + " results, expected "
          + (prelude + 3), "TT003");
    }
  }

  /** {@code n} expected keys' rows, tagged 6, as {@code UNION ALL} branches of at most a chunk. */
  private StringBuilder appendExpected(StringBuilder q, int n) {
    for (int from = 0; from < n; from += Statements.IN_CHUNK) {
      if (from > 0) {
        q.append(" UNION ALL ");
      }
      q.append(sql.multiCommitReadsExpected(Math.min(Statements.IN_CHUNK, n - from)));
    }
    return q;
  }

  private void applyAndCommit(Connection c, long version, WriteSet writes, boolean hold)
      throws SQLException {
    Map<byte[], byte[]> ranges = writes.clearedRangeMap();
    Map<byte[], byte[]> points = writes.points();
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < ranges.size(); i++) {
      q.append(sql.deleteRange).append(";\n");
    }
    if (!ranges.isEmpty()) {
      q.append(Statements.multiRow(sql.insertClear, ranges.size())).append(";\n");
    }
    if (!points.isEmpty()) {
      q.append(Statements.multiRow(sql.upsert, points.size())).append(";\n");
    }
    int changes = ranges.size() + points.size();
    if (hold && changes > 0) {
      q.append(Statements.multiRow(sql.insertChange, changes)).append(";\n");
    }
    q.append("COMMIT");
    try (PreparedStatement ps = c.prepareStatement(q.toString())) {
      int p = 1;
      for (Map.Entry<byte[], byte[]> r : ranges.entrySet()) {
        ps.setBytes(p++, r.getKey());
        ps.setBytes(p++, r.getValue());
      }
      for (Map.Entry<byte[], byte[]> r : ranges.entrySet()) {
        ps.setLong(p++, version);
        ps.setBytes(p++, r.getKey());
        ps.setBytes(p++, r.getValue());
      }
      for (Map.Entry<byte[], byte[]> w : points.entrySet()) {
        ps.setBytes(p++, w.getKey());
        setNullableBytes(ps, p++, w.getValue());
        ps.setLong(p++, version);
      }
      if (hold && changes > 0) {
        long time = System.currentTimeMillis();
        int seq = 0;
        for (Map.Entry<byte[], byte[]> r : ranges.entrySet()) {
          p = change(ps, p, version, 0, ++seq, time, r.getKey(), r.getValue());
        }
        seq = 0;
        for (Map.Entry<byte[], byte[]> w : points.entrySet()) {
          p = change(ps, p, version, 1, ++seq, time, w.getKey(), w.getValue());
        }
      }
      boolean isResultSet = ps.execute();
      while (isResultSet || ps.getUpdateCount() != -1) {
        isResultSet = ps.getMoreResults();
      }
    }
  }

  private static int change(PreparedStatement ps, int p, long version, int kind, int seq, long time,
      byte[] key, byte[] value) throws SQLException {
    ps.setLong(p++, version);
    ps.setInt(p++, kind);
    ps.setInt(p++, seq);
    ps.setLong(p++, time);
    ps.setBytes(p++, key);
    setNullableBytes(ps, p++, value);
    return p;
  }
}
