package io.tito.jdbc;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.LimitExceededException;
import io.tito.StorageException;
import io.tito.spi.BulkLoader;
import io.tito.spi.EngineLimits;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@link io.tito.spi.Capability#BULK_LOAD} on PostgreSQL: the entries stream into the key-value
 * table through one {@code COPY ... FROM STDIN (FORMAT binary)} in one database transaction, which
 * {@link #finish()} commits, so they appear all at once (and not at all if it does not commit, also
 * across a crash). Every row carries the transaction's id ({@code xid}, so a transaction whose
 * snapshot predates the load sees its rows as written after it, as with any commit) and a version
 * taken from the store's sequence when the loader opens.
 *
 * <p>Opening checks, in the loader's transaction, that the store holds no live row and its change
 * feed no hold, and deletes the tombstones of earlier deletes (their keys could not be loaded
 * otherwise). Finishing takes the store lock exclusively (waiting for commits in flight, as a
 * clean cut does), checks again that no other transaction wrote a row and that no hold was placed,
 * and commits. Nothing else is locked while loading: another writer's commit during the load goes
 * through and makes {@code finish} fail. Not thread-safe.
 */
final class PostgresBulkLoader implements BulkLoader {

  /** Rows are sent to the server in pieces of this size. */
  private static final int SEND_BYTES = 1 << 20;
  private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

  private final JdbcEngine engine;
  private final Statements sql;
  private final EngineLimits limits;
  private final DataSource source;
  private final Connection connection;
  private final CopyIn copy;
  private final long version;
  private final long xid;
  private final Buffer rows = new Buffer(SEND_BYTES + (64 << 10));
  private byte[] lastKey;
  private long entries;
  private boolean ended;

  private PostgresBulkLoader(JdbcEngine engine, DataSource source, Connection connection, CopyIn copy, long version,
      long xid) {
    this.engine = engine;
    this.sql = engine.statements();
    this.limits = engine.limits();
    this.source = source;
    this.connection = connection;
    this.copy = copy;
    this.version = version;
    this.xid = xid;
    rows.write(HEADER, 0, HEADER.length);
  }

  /** Opens a loader on {@code engine} (PostgreSQL), whose store must be empty and without holds. */
  static PostgresBulkLoader open(JdbcEngine engine) {
    Statements sql = engine.statements();
    DataSource source = engine.poolForCurrentThread();
    Connection c = engine.borrow(source);
    boolean ok = false;
    try {
      c.commit();
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      requireLoadable(engine, c, false);
      try (Statement st = c.createStatement()) {
        st.execute(sql.purgeTombstones); // and their records, which would only point at nothing
      }
      long version;
      long xid;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(sql.nextVersionAndXid)) {
        rs.next();
        version = rs.getLong(1);
        xid = rs.getLong(2);
      }
      CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
          .copyIn("COPY " + sql.kvTable + " (k, v, ver, xid) FROM STDIN (FORMAT binary)");
      ok = true;
      return new PostgresBulkLoader(engine, source, c, copy, version, xid);
    } catch (SQLException e) {
      throw engine.errors().beforeCommit("bulk load", e);
    } finally {
      if (!ok) {
        rollbackAndGiveBack(engine, source, c);
      }
    }
  }

  /** Fails unless the store has no live row (but the loader's own) and no hold. */
  private static void requireLoadable(JdbcEngine engine, Connection c, boolean own) throws SQLException {
    Statements sql = engine.statements();
    String others = "SELECT k FROM " + sql.kvTable + " WHERE v IS NOT NULL"
        + (own ? " AND xid <> pg_current_xact_id()" : "") + " LIMIT 1";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(others)) {
      if (rs.next()) {
        throw new InvalidArgumentException("bulk load needs an empty store",
            Map.of("engine", engine.name(), "table", sql.kvTable, "firstKey", ByteArrays.printable(rs.getBytes(1))));
      }
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.holdsExist)) {
      rs.next();
      if (rs.getLong(1) > 0) {
        throw new InvalidArgumentException("cannot bulk load while the change feed has retention holds:"
            + " loaded entries would be missing from the feed", Map.of("engine", engine.name(), "holds", rs.getLong(1)));
      }
    }
  }

  @Override
  public void add(byte[] key, byte[] value) {
    requireOpen();
    if (key == null || value == null) {
      throw new InvalidArgumentException("bulk load key and value must not be null", Map.of());
    }
    if (key.length > limits.maxKeySize()) {
      throw new LimitExceededException("key is larger than the engine accepts",
          Map.of("keySize", key.length, "maxKeySize", limits.maxKeySize()));
    }
    if (value.length > limits.maxValueSize()) {
      throw new LimitExceededException("value is larger than the engine accepts",
          Map.of("valueSize", value.length, "maxValueSize", limits.maxValueSize()));
    }
    if (lastKey != null && Arrays.compareUnsigned(key, lastKey) <= 0) {
      throw new InvalidArgumentException("bulk load keys must be added in strictly increasing order",
          Map.of("key", ByteArrays.printable(key), "previousKey", ByteArrays.printable(lastKey)));
    }
    // One row: 4 fields, each a 32-bit length and its bytes (bytea raw, bigint and xid8 8 bytes).
    rows.writeShort(4);
    rows.writeInt(key.length);
    rows.write(key, 0, key.length);
    rows.writeInt(value.length);
    rows.write(value, 0, value.length);
    rows.writeInt(8);
    rows.writeLong(version);
    rows.writeInt(8);
    rows.writeLong(xid);
    lastKey = key.clone();
    entries++;
    if (rows.size() >= SEND_BYTES) {
      send();
    }
  }

  private void send() {
    try {
      copy.writeToCopy(rows.array(), 0, rows.size());
      rows.reset();
    } catch (SQLException e) {
      close();
      throw new StorageException("bulk load could not send its entries; the load was aborted",
          Map.of("engine", engine.name(), "reason", String.valueOf(e.getMessage())), e);
    }
  }

  @Override
  public long finish() {
    requireOpen();
    try {
      rows.writeShort(-1);
      copy.writeToCopy(rows.array(), 0, rows.size());
      rows.reset();
      copy.endCopy();
      try (PreparedStatement ps = connection.prepareStatement(sql.lockStore)) {
        ps.setInt(1, Statements.STORE_LOCK_CLASS);
        ps.setInt(2, sql.storeLockId);
        ps.execute();
      }
      // The load purged tombstones: commits inside snapshots that miss it take the READ
      // COMMITTED path (see SnapshotCommit).
      try (PreparedStatement ps = connection.prepareStatement(sql.touchVersionRow)) {
        ps.executeUpdate();
      }
      requireLoadable(engine, connection, true);
      connection.commit();
    } catch (SQLException e) {
      throw new StorageException("bulk load could not be finished; nothing was loaded",
          Map.of("engine", engine.name(), "reason", String.valueOf(e.getMessage())), e);
    } finally {
      close();
    }
    return entries;
  }

  private void requireOpen() {
    if (ended) {
      throw new InvalidArgumentException("bulk loader was finished or closed", Map.of("engine", engine.name()));
    }
  }

  /** Aborts an unfinished load (rolls its transaction back) and returns the connection. Idempotent. */
  @Override
  public void close() {
    if (ended) {
      return;
    }
    ended = true;
    if (copy.isActive()) {
      try {
        copy.cancelCopy();
      } catch (SQLException e) {
        // the rollback below ends the transaction anyway
      }
    }
    rollbackAndGiveBack(engine, source, connection);
  }

  private static void rollbackAndGiveBack(JdbcEngine engine, DataSource source, Connection c) {
    boolean broken = false;
    try {
      c.rollback();
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    } catch (SQLException e) {
      broken = true;
    }
    engine.giveBack(source, c, broken);
  }

  /** A growable byte array with big-endian numbers. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }

    void writeShort(int v) {
      write(v >>> 8);
      write(v);
    }

    void writeInt(int v) {
      writeShort(v >>> 16);
      writeShort(v);
    }

    void writeLong(long v) {
      writeInt((int) (v >>> 32));
      writeInt((int) v);
    }
  }
}
