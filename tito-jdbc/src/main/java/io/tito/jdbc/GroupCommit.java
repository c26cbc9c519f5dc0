package io.tito.jdbc;

import static io.tito.jdbc.CommitWriter.rollbackQuietly;
import static io.tito.jdbc.CommitWriter.setNullableBytes;

import io.tito.ConflictException;
import io.tito.spi.Expectations;
import io.tito.spi.WriteSet;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MariaDB: several commits ({@link CommitGroup}'s batch) in one commit transaction, on the
 * leader's connection, in {@link MultiStatementCommit}'s two queries.
 *
 * <pre>
 * query 1: COMMIT (the leader's snapshot) ; UPDATE meta SET version = LAST_INSERT_ID(version + 1)
 *          (the lock) ; one UNION ALL of: the current version, clears after the oldest snapshot
 *          (with their versions), per member that read its written points changed after its
 *          snapshot, every member's counters, per member that read nothing its expected keys,
 *          whether a hold exists
 * client:  per member, in order, exactly the judgement of a commit of its own made right after
 *          the earlier members': its clears and changed points, its expectations, a key it
 *          writes or expects that an earlier accepted member writes (a commit it did not see),
 *          its age; an accepted member takes the next version (dense), its stamps, and its
 *          positions after the earlier members' appends to the same counters
 * query 2: the version row to the last version taken (if more than one) ; every accepted
 *          member's points, each stamped with its own version ; the change log (while a hold
 *          exists) ; COMMIT
 * </pre>
 *
 * <p>Why it is exact. Under the lock, the group's read view sees every earlier commit, so each
 * member's judgement against the database is the one it would get alone; what a member would
 * have seen of the earlier members had they committed alone is their writes, which it never saw
 * in its snapshot: a key it writes or expects among them is a conflict (as their committed
 * version, above its snapshot's, would make it), and its counters continue theirs. The accepted
 * members commit at once and their versions are consecutive, so versions stay dense and are
 * taken and become visible in one order (commit-ordered keys and sequenced appends hold as with
 * one commit at a time). Only commits without range clears, and without expectations to judge
 * in a snapshot they read, join a group (see {@link MultiStatementCommit}). Thread-safe
 * (stateless per call).
 */
final class GroupCommit {

  private final Statements sql;
  private final Errors errors;
  private final long maxAgeNanos;

  GroupCommit(Statements sql, Errors errors, long maxAgeNanos) {
    this.sql = sql;
    this.errors = errors;
    this.maxAgeNanos = maxAgeNanos;
  }

  /** Commits {@code batch} (two or more members) on its first member's connection. */
  void commit(List<CommitGroup.Member> batch) {
    Connection c = batch.get(0).connection;
    Reads r;
    try {
      r = lockAndRead(c, batch);
    } catch (SQLException e) {
      rollbackQuietly(c);
      fail(batch, errors.beforeCommit("prepare commit", e));
      return;
    }
    List<CommitGroup.Member> accepted;
    try {
      accepted = judge(batch, r);
    } catch (RuntimeException e) {
      rollbackQuietly(c); // nothing was written: the lock goes with the transaction
      fail(batch, e);
      return;
    }
    if (accepted.isEmpty()) {
      rollbackQuietly(c);
      return;
    }
    try {
      applyAndCommit(c, r.version, accepted, r.hold);
    } catch (SQLException e) {
      rollbackQuietly(c);
      // A statement the server rejected stopped the query before its COMMIT: nothing committed.
      fail(accepted, errors.classify(e) == Errors.Kind.CONNECTION
          ? errors.duringCommit(e) : errors.beforeCommit("commit", e));
      return;
    }
    for (CommitGroup.Member m : accepted) {
      m.committed = true;
    }
  }

  private static void fail(List<CommitGroup.Member> members, RuntimeException e) {
    for (CommitGroup.Member m : members) {
      if (m.failure == null) {
        m.failure = e;
      }
    }
  }

  /**
   * Judges each member in order as if the accepted ones before it had committed alone; the
   * accepted take versions {@code version + 1, + 2, ...}, their stamps and their positions.
   */
  private List<CommitGroup.Member> judge(List<CommitGroup.Member> batch, Reads r) {
    String engine = sql.dialect.name();
    List<CommitGroup.Member> accepted = new ArrayList<>(batch.size());
    Set<ByteBuffer> written = new HashSet<>();
    Map<ByteBuffer, byte[]> counters = new HashMap<>(r.counters);
    for (int i = 0; i < batch.size(); i++) {
      CommitGroup.Member m = batch.get(i);
      WriteSet writes = m.writes;
      try {
        if (m.snapshot < 0) {
          for (WriteSet.Expectation e : writes.expectations()) {
            Expectations.compare(e.key(), r.expected(i, e.key()), e.value());
          }
        } else if (r.version != m.snapshot) {
          ConflictException conflict = r.conflict(engine, i, writes, m.snapshot);
          if (conflict != null) {
            throw conflict;
          }
        }
        for (byte[] k : writes.points().keySet()) {
          if (written.contains(ByteBuffer.wrap(k))) {
            throw CommitWriter.conflict(engine, k, m.snapshot, "the key was written by a commit sent with it");
          }
        }
        for (WriteSet.Expectation e : writes.expectations()) {
          if (written.contains(ByteBuffer.wrap(e.key()))) {
            throw Expectations.mismatch(e.key());
          }
        }
        // After the conflict checks: the collector relies on this order (see TombstoneCollector).
        if (System.nanoTime() - m.beganNanos > maxAgeNanos) {
          throw CommitWriter.ageConflict(engine, m.beganNanos);
        }
      } catch (ConflictException e) {
        m.failure = e;
        continue;
      }
      long version = r.version + accepted.size() + 1;
      writes.materialiseStamps(version);
      writes.materialiseSequences(keys -> {
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
          out.add(counters.get(ByteBuffer.wrap(k)));
        }
        return out;
      });
      for (byte[] k : writes.points().keySet()) {
        written.add(ByteBuffer.wrap(k));
      }
      for (byte[] k : writes.sequenceCounters()) {
        counters.put(ByteBuffer.wrap(k), writes.points().get(k));
      }
      accepted.add(m);
    }
    return accepted;
  }

  /** A range {@code [begin, end)} cleared at {@code version}. */
  private record Clear(byte[] begin, byte[] end, long version) {}

  /** A point to upsert: its key, its value (null: a tombstone) and its member's version. */
  private record Upsert(byte[] key, byte[] value, long version) {}

  /** What query 1 read under the version row lock. */
  private static final class Reads {
    /** The version before the group's (its first member's is this plus one); -1 until read. */
    long version = -1;
    /** Clears after the oldest snapshot. */
    final List<Clear> clears = new ArrayList<>();
    /** Per member index: the first written point changed after its snapshot. */
    final Map<Integer, byte[]> pointChanged = new HashMap<>();
    final Map<ByteBuffer, byte[]> counters = new HashMap<>();
    /** Per member index and expected key: the key's value (null: none). */
    final Map<Integer, Map<ByteBuffer, byte[]>> expected = new HashMap<>();
    boolean hold;

    void add(int tag, byte[] x, byte[] y, long n) {
      switch (tag) {
        case 5 -> version = n - 1;
        case 0 -> clears.add(new Clear(x, y, n));
        case 1 -> pointChanged.putIfAbsent((int) n, x);
        case 3 -> {
          if (y != null) {
            counters.put(ByteBuffer.wrap(x), y);
          }
        }
        case 4 -> hold = true;
        case 6 -> expected.computeIfAbsent((int) n, i -> new HashMap<>()).put(ByteBuffer.wrap(x), y);
        default -> throw new IllegalStateException("unknown row tag " + tag);
      }
    }

    byte[] expected(int member, byte[] key) {
      Map<ByteBuffer, byte[]> values = expected.get(member);
      return values == null ? null : values.get(ByteBuffer.wrap(key));
    }

    ConflictException conflict(String engine, int member, WriteSet writes, long snapshot) {
      for (Clear clear : clears) {
        if (clear.version() > snapshot) {
          ConflictException e = CommitWriter.clearConflict(engine, writes, clear.begin(),
              clear.end(), snapshot);
          if (e != null) {
            return e;
          }
        }
      }
      byte[] changed = pointChanged.get(member);
      return changed == null ? null
          : CommitWriter.conflict(engine, changed, snapshot, "the key was written");
    }
  }

  private Reads lockAndRead(Connection c, List<CommitGroup.Member> batch) throws SQLException {
    long oldest = Long.MAX_VALUE;
    Set<ByteBuffer> counterSet = new LinkedHashSet<>();
    List<byte[]> counters = new ArrayList<>();
    for (CommitGroup.Member m : batch) {
      if (m.snapshot >= 0) {
        oldest = Math.min(oldest, m.snapshot);
      }
      for (byte[] k : m.writes.sequenceCounters()) {
        if (counterSet.add(ByteBuffer.wrap(k))) {
          counters.add(k);
        }
      }
    }
    StringBuilder q = new StringBuilder("COMMIT;\n");
    int prelude = sql.dialect.commitPreludeSql().size();
    for (String s : sql.dialect.commitPreludeSql()) {
      q.append(s).append(";\n");
    }
    // Rows tagged as in MultiStatementCommit; the fourth column names a clear's version (0) or
    // the member a row is for (1, 6).
    q.append(sql.multiCommitBump).append(";\n").append(sql.multiCommitReadsVersion);
    if (oldest != Long.MAX_VALUE) {
      q.append(" UNION ALL ").append(sql.groupReadsClears);
    }
    for (CommitGroup.Member m : batch) {
      int n = m.snapshot >= 0 ? m.writes.points().size() : m.writes.expectations().size();
      for (int from = 0; from < n; from += Statements.IN_CHUNK) {
        int chunk = Math.min(Statements.IN_CHUNK, n - from);
        q.append(" UNION ALL ").append(m.snapshot >= 0
            ? sql.groupReadsPoints(chunk) : sql.groupReadsExpected(chunk));
      }
    }
    for (int from = 0; from < counters.size(); from += Statements.IN_CHUNK) {
      q.append(" UNION ALL ").append(sql.multiCommitReadsCounters(
          Math.min(Statements.IN_CHUNK, counters.size() - from)));
    }
    q.append(" UNION ALL ").append(sql.multiCommitReadsHold);
    Reads r = new Reads();
    try (PreparedStatement ps = c.prepareStatement(q.toString())) {
      int p = 1;
      if (oldest != Long.MAX_VALUE) {
        ps.setLong(p++, oldest);
      }
      for (int i = 0; i < batch.size(); i++) {
        CommitGroup.Member m = batch.get(i);
        List<byte[]> keys = new ArrayList<>();
        if (m.snapshot >= 0) {
          keys.addAll(m.writes.points().keySet());
        } else {
          for (WriteSet.Expectation e : m.writes.expectations()) {
            keys.add(e.key());
          }
        }
        for (int from = 0; from < keys.size(); from += Statements.IN_CHUNK) {
          ps.setLong(p++, i);
          if (m.snapshot >= 0) {
            ps.setLong(p++, m.snapshot);
          }
          for (byte[] k : keys.subList(from, Math.min(keys.size(), from + Statements.IN_CHUNK))) {
            ps.setBytes(p++, k);
          }
        }
      }
      for (byte[] k : counters) {
        ps.setBytes(p++, k);
      }
      MultiStatementCommit.runLockAndRead(ps, prelude, r::add, () -> r.version);
    }
    return r;
  }

  private void applyAndCommit(Connection c, long before, List<CommitGroup.Member> accepted,
      boolean hold) throws SQLException {
    int rows = 0;
    for (CommitGroup.Member m : accepted) {
      rows += m.writes.points().size();
    }
    StringBuilder q = new StringBuilder();
    if (accepted.size() > 1) {
      q.append(sql.writeVersion).append(";\n");
    }
    if (rows > 0) {
      q.append(Statements.multiRow(sql.upsert, rows)).append(";\n");
      if (hold) {
        q.append(Statements.multiRow(sql.insertChange, rows)).append(";\n");
      }
    }
    q.append("COMMIT");
    try (PreparedStatement ps = c.prepareStatement(q.toString())) {
      int p = 1;
      if (accepted.size() > 1) {
        ps.setLong(p++, before + accepted.size());
      }
      // In key order, as one commit's own rows are (its points are sorted), so that the rows are
      // locked in the order the tombstone collector's delete locks them: members in another order
      // could lock two keys the other way round and deadlock with it. A key two members write (a
      // shared counter) keeps their order, so the later member's row is the one that stays.
      List<Upsert> upserts = new ArrayList<>(rows);
      long version = before;
      for (CommitGroup.Member m : accepted) {
        version++;
        for (Map.Entry<byte[], byte[]> w : m.writes.points().entrySet()) {
          upserts.add(new Upsert(w.getKey(), w.getValue(), version));
        }
      }
      upserts.sort((x, y) -> io.tito.ByteArrays.compare(x.key(), y.key()));
      for (Upsert w : upserts) {
        ps.setBytes(p++, w.key());
        setNullableBytes(ps, p++, w.value());
        ps.setLong(p++, w.version());
      }
      if (hold && rows > 0) {
        long time = System.currentTimeMillis();
        version = before;
        for (CommitGroup.Member m : accepted) {
          version++;
          int seq = 0;
          for (Map.Entry<byte[], byte[]> w : m.writes.points().entrySet()) {
            ps.setLong(p++, version);
            ps.setInt(p++, 1);
            ps.setInt(p++, ++seq);
            ps.setLong(p++, time);
            ps.setBytes(p++, w.getKey());
            setNullableBytes(ps, p++, w.getValue());
          }
        }
      }
      boolean isResultSet = ps.execute();
      while (isResultSet || ps.getUpdateCount() != -1) {
        isResultSet = ps.getMoreResults();
      }
    }
  }
}
