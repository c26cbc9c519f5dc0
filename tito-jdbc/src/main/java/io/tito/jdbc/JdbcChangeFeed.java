package io.tito.jdbc;

import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.NotFoundException;
import io.tito.StorageException;
import io.tito.spi.ChangeFeed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The change feed of a JDBC store: every commit, one by one ({@link #everyCommit()} is true).
 * While at least one retention hold exists (the store's {@code _holds} table), each commit also
 * writes its cleared ranges and point writes, with its version and commit time, to the store's
 * change log ({@code _changes}) in the same transaction ({@link CommitWriter}); without a hold
 * nothing extra is written. A hold is placed under the lock that orders commits (PostgreSQL: the
 * exclusive store lock at a clean cut; MariaDB: the version row), so every commit with a version
 * above a hold logs its changes. The changes after {@code V} are read in version order in one
 * snapshot taken at a clean cut (see {@link VersionCut}: every version the feed hands out is
 * one). The tombstone collector deletes log entries, tombstones and clear records at or below the
 * lowest hold only. Thread-safe.
 */
final class JdbcChangeFeed implements ChangeFeed {

  private static final int PAGE = 1000;

  private final JdbcEngine engine;
  private final Statements sql;

  JdbcChangeFeed(JdbcEngine engine) {
    this.engine = engine;
    this.sql = engine.statements();
  }

  private interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  private <T> T inTransaction(String operation, Work<T> work) {
    engine.ensureOpen();
    DataSource source = engine.poolForCurrentThread();
    Connection c = engine.borrow(source);
    boolean broken = false;
    try {
      T result = work.apply(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      broken = engine.errors().classify(e) == Errors.Kind.CONNECTION;
      rollbackQuietly(c);
      throw engine.errors().beforeCommit(operation, e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    } finally {
      engine.giveBack(source, c, broken);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the server rolled back
    }
  }

  /** The store's version as a clean cut ({@link VersionCut#current}). */
  private static long version(Connection c, Statements sql) throws SQLException {
    return VersionCut.current(c, sql);
  }

  @Override
  public long currentVersion() {
    return inTransaction("read version", c -> version(c, sql));
  }

  @Override
  public VersionedSnapshot openSnapshot() {
    engine.ensureOpen();
    long time = System.currentTimeMillis();
    JdbcTransaction tx = JdbcTransaction.begin(engine, true, true);
    return new VersionedSnapshot(tx, tx.snapshotVersion(), time);
  }

  @Override
  public long placeHold(String name) {
    ChangeFeed.checkHoldName(name);
    return inTransaction("place hold", c -> {
      if (sql.touchVersionRow != null) {
        // READ COMMITTED: the version row is updated below, after the lock (see SnapshotCommit).
        try (java.sql.Statement st = c.createStatement()) {
          st.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        }
      }
      OptionalLong existing = hold(c, name);
      if (existing.isPresent()) {
        return existing.getAsLong();
      }
      // On PostgreSQL the hold's version is a clean cut taken under the exclusive store lock; on
      // MariaDB the version row is locked. Either way held until this transaction commits, so
      // every commit with a later version sees the hold and logs its changes (CommitWriter).
      if (sql.lockStore == null) {
        readOne(c, sql.lockVersion);
      } else {
        version(c, sql);
        // Commits inside a snapshot that misses the hold read the holds of their snapshot: this
        // sends them to the READ COMMITTED path, which reads the holds under the store lock.
        try (PreparedStatement ps = c.prepareStatement(sql.touchVersionRow)) {
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(sql.insertHold)) {
        ps.setString(1, name);
        ps.executeUpdate();
      } catch (SQLException e) {
        // Placed concurrently by another process: keep that one.
        c.rollback();
        OptionalLong now = hold(c, name);
        if (now.isPresent()) {
          return now.getAsLong();
        }
        throw e;
      }
      return hold(c, name).orElseThrow();
    });
  }

  @Override
  public void moveHold(String name, long version) {
    inTransaction("move hold", c -> {
      OptionalLong existing = hold(c, name);
      if (existing.isEmpty()) {
        throw new NotFoundException("no such hold", Map.of("hold", String.valueOf(name)));
      }
      long current = version(c, sql);
      if (version < existing.getAsLong() || version > current) {
        throw new InvalidArgumentException("a hold moves forward, up to the current version",
            Map.of("hold", name, "from", existing.getAsLong(), "to", version, "currentVersion", current));
      }
      try (PreparedStatement ps = c.prepareStatement(sql.moveHold)) {
        ps.setLong(1, version);
        ps.setString(2, name);
        ps.setLong(3, version);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void releaseHold(String name) {
    inTransaction("release hold", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.deleteHold)) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public OptionalLong holdVersion(String name) {
    return inTransaction("read hold", c -> hold(c, name));
  }

  @Override
  public Map<String, Long> holds() {
    return inTransaction("read holds", c -> {
      Map<String, Long> out = new TreeMap<>();
      try (PreparedStatement ps = c.prepareStatement(sql.allHolds); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      return Map.copyOf(out);
    });
  }

  private OptionalLong hold(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.oneHold)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  @Override
  public boolean everyCommit() {
    return true;
  }

  /**
   * The commits with versions in {@code (after, through]}, one by one, from the change log read in
   * one snapshot taken at a clean cut at or above {@code through}.
   */
  @Override
  public ChangeCursor changesAfter(long after, long through) {
    engine.ensureOpen();
    DataSource source = engine.poolForCurrentThread();
    Connection c = engine.borrow(source);
    try {
      // The snapshot at a clean cut: no commit at or below its version is still in flight.
      long current = VersionCut.beginAtCut(c, sql).version();
      if (after > through || through > current) {
        throw new InvalidArgumentException("changes are asked for versions (after, through] up to the current version",
            Map.of("after", after, "through", through, "currentVersion", current));
      }
      boolean covered = false;
      try (PreparedStatement ps = c.prepareStatement(sql.allHolds); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          covered |= rs.getLong(2) <= after;
        }
      }
      if (!covered) {
        throw new InvalidArgumentException("no hold keeps the changes after this version; they may be gone",
            Map.of("after", after));
      }
      long loggedFrom = readOne(c, sql.changesFrom);
      if (after < loggedFrom) {
        throw new InvalidArgumentException("the changes before this version were not logged per commit"
            + " (the store was upgraded while a hold existed); take a full backup",
            Map.of("after", after, "loggedFrom", loggedFrom));
      }
      return new Cursor(source, c, after, through);
    } catch (SQLException e) {
      engine.giveBack(source, c, engine.errors().classify(e) == Errors.Kind.CONNECTION);
      throw engine.errors().beforeCommit("read changes", e);
    } catch (RuntimeException e) {
      engine.giveBack(source, c, false);
      throw e;
    }
  }

  private static long readOne(Connection c, String query) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** One change log entry: kind 0 is a cleared range (its end in {@code value}), 1 a point. */
  private record Entry(long version, int kind, int seq, long time, byte[] key, byte[] value) {}

  /** Pages of change log entries, read in the cursor's snapshot transaction, grouped by version. */
  private final class Cursor implements ChangeCursor {
    private final DataSource source;
    private final Connection connection;
    private final long after;
    private final long through;
    private final ArrayDeque<Entry> buffer = new ArrayDeque<>();
    private Entry last;
    private boolean exhausted;
    private Commit next;
    private boolean closed;

    Cursor(DataSource source, Connection connection, long after, long through) {
      this.source = source;
      this.connection = connection;
      this.after = after;
      this.through = through;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (closed) {
        return false;
      }
      Entry first = peek();
      if (first == null) {
        return false;
      }
      List<KeyRange> ranges = new ArrayList<>();
      List<Write> writes = new ArrayList<>();
      for (Entry e = first; e != null && e.version() == first.version(); e = peek()) {
        buffer.removeFirst();
        if (e.kind() == 0) {
          ranges.add(new KeyRange(e.key(), e.value()));
        } else {
          writes.add(new Write(e.key(), e.value()));
        }
      }
      next = new Commit(first.version(), first.time(), ranges, writes);
      return true;
    }

    private Entry peek() {
      if (buffer.isEmpty() && !exhausted) {
        readPage();
      }
      return buffer.peekFirst();
    }

    private void readPage() {
      try (PreparedStatement ps = connection.prepareStatement(last == null ? sql.changesFirst : sql.changesNext)) {
        int i = 1;
        ps.setLong(i++, after);
        ps.setLong(i++, through);
        if (last != null) {
          ps.setLong(i++, last.version());
          ps.setInt(i++, last.kind());
          ps.setInt(i++, last.seq());
        }
        ps.setInt(i, PAGE);
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            last = new Entry(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getBytes(5), rs.getBytes(6));
            buffer.addLast(last);
            n++;
          }
        }
        exhausted = n < PAGE;
      } catch (SQLException e) {
        close();
        throw new StorageException("reading changes failed", Map.of("engine", engine.name(),
            "reason", String.valueOf(e.getMessage())), e);
      }
    }

    @Override
    public Commit next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Commit c = next;
      next = null;
      return c;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      rollbackQuietly(connection);
      engine.giveBack(source, connection, false);
    }
  }
}
