package io.tito.jdbc;

import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.NotFoundException;
import io.tito.StorageException;
import io.tito.spi.ChangeFeed;
import io.tito.spi.WriteSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The change feed of a JDBC store, built on what the engine already keeps: every row carries the
 * version of the commit that last wrote it (a deleted key keeps a tombstone row), and every range
 * clear leaves a record with its version. The changes after version {@code V} are the rows and
 * clear records with a version above {@code V}, read in one snapshot taken at a clean cut (see
 * {@link VersionCut}: every version the feed hands out is one): their net effect, not each
 * commit ({@link #everyCommit()} is false). Retention holds live in the store's {@code _holds}
 * table; the tombstone collector never deletes a tombstone or clear record above the lowest hold.
 * Reading the changes scans the key table (no index on versions, which would cost every commit).
 * Thread-safe.
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
      OptionalLong existing = hold(c, name);
      if (existing.isPresent()) {
        return existing.getAsLong();
      }
      version(c, sql); // on PostgreSQL: the hold's version is a clean cut
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
    return false;
  }

  /**
   * The net changes after {@code after}, as commits of one version: the version of the snapshot
   * read, which is at least {@code through} (later commits are included when they happened
   * meanwhile). The cleared ranges come in the first commit, the point writes in pages after it.
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
      WriteSet clears = new WriteSet();
      try (PreparedStatement ps = c.prepareStatement(sql.clearsSince)) {
        ps.setLong(1, after);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            clears.clearRange(rs.getBytes(1), rs.getBytes(2));
          }
        }
      }
      return new Cursor(source, c, current, after, current > after ? clears.clearedRanges() : null);
    } catch (SQLException e) {
      engine.giveBack(source, c, engine.errors().classify(e) == Errors.Kind.CONNECTION);
      throw engine.errors().beforeCommit("read changes", e);
    } catch (RuntimeException e) {
      engine.giveBack(source, c, false);
      throw e;
    }
  }

  /** Pages of changed rows read in the cursor's snapshot transaction. */
  private final class Cursor implements ChangeCursor {
    private final DataSource source;
    private final Connection connection;
    private final long version;
    private final long after;
    private List<KeyRange> pendingRanges;
    private byte[] lastKey;
    private boolean exhausted;
    private Commit next;
    private boolean closed;

    Cursor(DataSource source, Connection connection, long version, long after, List<KeyRange> ranges) {
      this.source = source;
      this.connection = connection;
      this.version = version;
      this.after = after;
      this.pendingRanges = ranges;
      this.exhausted = ranges == null;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (closed || exhausted) {
        return false;
      }
      List<Write> writes = readPage();
      if (writes.size() < PAGE) {
        exhausted = true;
      }
      if (pendingRanges != null || !writes.isEmpty()) {
        next = new Commit(version, 0, pendingRanges == null ? List.of() : pendingRanges, writes);
        pendingRanges = null;
      }
      return next != null;
    }

    private List<Write> readPage() {
      List<Write> out = new ArrayList<>();
      try (PreparedStatement ps = connection.prepareStatement(lastKey == null ? sql.changedFirst : sql.changedAfter)) {
        int i = 1;
        ps.setLong(i++, after);
        if (lastKey != null) {
          ps.setBytes(i++, lastKey);
        }
        ps.setInt(i, PAGE);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            byte[] k = rs.getBytes(1);
            out.add(new Write(k, rs.getBytes(2)));
            lastKey = k;
          }
        }
      } catch (SQLException e) {
        close();
        throw new StorageException("reading changes failed", Map.of("engine", engine.name(),
            "reason", String.valueOf(e.getMessage())), e);
      }
      return out;
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
