package io.tito.jdbc;

import io.tito.ConflictException;
import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.RangeRead;
import io.tito.Stamp;
import io.tito.TitoException;
import io.tito.spi.BufferedTransaction;
import io.tito.spi.WriteSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * One engine transaction: a pooled connection held from begin to end, reading one database
 * snapshot (a REPEATABLE READ transaction opened by {@link VersionCut}), with writes buffered by
 * {@link BufferedTransaction} and applied by {@link CommitWriter} at commit: on PostgreSQL point
 * writes and stamped keys inside the snapshot transaction ({@link SnapshotCommit}), anything else
 * in a second, short database transaction. Not thread-safe.
 */
final class JdbcTransaction extends BufferedTransaction {

  /** Notifications with distinct payloads one transaction sends on one channel at most. */
  static final int MAX_PAYLOADS = 64;

  private final JdbcEngine engine;
  private final DataSource source;
  private final Connection connection;
  private VersionCut.Snapshot snapshot;
  private final long beganNanos;
  private final Set<String> channels = new LinkedHashSet<>();
  private boolean broken;
  /** The stamp horizon's version once known, else -1. */
  private long stampHorizon = -1;
  /** Whether the snapshot is taken (at begin, or by the first read of a read-only transaction). */
  private boolean snapshotTaken;
  /** Whether the commit may return before it is durable ({@link #relaxDurability}). */
  private boolean relaxed;
  /**
   * MariaDB ({@link VersionCut#unread}): whether the snapshot's version is still to be read, by
   * the first read (in its query) or, before a read that cannot carry it, by a query of its own.
   */
  private boolean versionUnread;

  private JdbcTransaction(JdbcEngine engine, boolean readOnly, DataSource source,
      Connection connection, VersionCut.Snapshot snapshot, long beganNanos, boolean atCut) {
    super(readOnly, engine.limits());
    this.engine = engine;
    this.source = source;
    this.connection = connection;
    this.snapshot = snapshot;
    this.beganNanos = beganNanos;
    this.snapshotTaken = snapshot.transactionIds() != null || engine.statements().beginSnapshot == null;
    // A read-only transaction never needs its version (it never commits writes): never read.
    this.versionUnread = !atCut && !readOnly && engine.multiStatementCommits();
  }

  /**
   * Borrows a connection and opens the snapshot ({@link VersionCut#begin}, or at a clean cut with
   * {@code atCut}: then {@link #snapshotVersion()} is exact).
   */
  static JdbcTransaction begin(JdbcEngine engine, boolean readOnly, boolean atCut) {
    long began = System.nanoTime();
    DataSource source = engine.poolForCurrentThread();
    Connection c = engine.borrow(source);
    try {
      VersionCut.Snapshot snapshot = atCut ? VersionCut.beginAtCut(c, engine.statements())
          : engine.multiStatementCommits() ? VersionCut.unread()
          : VersionCut.beginDeferred(c, engine.statements());
      return new JdbcTransaction(engine, readOnly, source, c, snapshot, began, atCut);
    } catch (SQLException e) {
      engine.giveBack(source, c, true);
      throw engine.errors().beforeCommit("begin", e);
    } catch (RuntimeException e) {
      engine.giveBack(source, c, true);
      throw e;
    }
  }

  Statements statements() {
    return engine.statements();
  }

  /**
   * The commit version this transaction's snapshot holds: exact if begun at a clean cut (or on a
   * dialect that serialises commits, once read), else {@code -1}: on PostgreSQL, and on MariaDB
   * with multi-statement queries until the first read of a write transaction (never for a
   * read-only one, see {@link VersionCut#unread}).
   */
  long snapshotVersion() {
    return snapshot.version();
  }

  /** The connection, for a read of the snapshot: fails once the transaction is too old. */
  Connection connection() {
    Connection c = connectionForRead();
    if (versionUnread) {
      try {
        snapshot = VersionCut.begin(c, engine.statements());
      } catch (SQLException e) {
        throw failure("begin", e);
      }
      versionUnread = false;
    }
    return c;
  }

  /**
   * A {@code SELECT k, v} read that also returns the snapshot's version if it is still unread, as
   * a row whose {@code k} is null ({@code v}: the version in decimal; keys are never null), in one
   * statement: MariaDB's cost is mostly per statement.
   */
  private String withVersion(String read) {
    return versionUnread ? engine.statements().versionRow + " UNION ALL " + read : read;
  }

  private Connection connectionForRead() {
    engine.ensureOpen();
    long age = System.nanoTime() - beganNanos;
    if (age > engine.maxTransactionAgeNanos()) {
      throw new ConflictException("transaction is older than the store's maxTransactionAge;"
          + " start a new one to read a fresh snapshot",
          Map.of("engine", engine.name(), "ageMillis", age / 1_000_000,
              "maxTransactionAgeMillis", engine.maxTransactionAgeNanos() / 1_000_000));
    }
    snapshotTaken = true;
    return connection;
  }

  /** Maps a failed read; a connection failure also marks the connection as unusable. */
  TitoException failure(String operation, SQLException e) {
    engine.ensureOpen(); // a call cut short by Engine.close() reports the close
    TitoException mapped = engine.errors().beforeCommit(operation, e);
    if (engine.errors().classify(e) == Errors.Kind.CONNECTION) {
      broken = true;
    }
    return mapped;
  }

  /**
   * Records a notification to send at commit, as the text {@code channel} or {@code
   * channel:payload} (the channel has no colon). Past {@value #MAX_PAYLOADS} payloads on one
   * channel, or with a payload that is null or too long, the channel gets one notification without
   * payload instead, which listeners read as "anything may have changed".
   */
  @Override
  public void notifyOnCommit(String channel, String payload) {
    if (!validChannel(channel)) {
      throw new InvalidArgumentException("channel must be 1 to 200 letters, digits or underscores",
          Map.of("channel", String.valueOf(channel)));
    }
    if (!engine.notificationsEnabled() || isReadOnly() || channels.contains(channel)) {
      return;
    }
    String prefix = channel + ':';
    boolean carried = payload != null && payload.length() <= MAX_PAYLOAD
        && carriedPayloads(prefix) < MAX_PAYLOADS;
    if (carried) {
      channels.add(prefix + payload);
    } else {
      channels.removeIf(c -> c.startsWith(prefix));
      channels.add(channel);
    }
  }

  /** 1 to 200 ASCII letters, digits or underscores (checked on every publish: no regex). */
  private static boolean validChannel(String channel) {
    if (channel == null || channel.isEmpty() || channel.length() > 200) {
      return false;
    }
    for (int i = 0; i < channel.length(); i++) {
      char c = channel.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private int carriedPayloads(String prefix) {
    int n = 0;
    for (String c : channels) {
      if (c.startsWith(prefix)) {
        n++;
      }
    }
    return n;
  }

  /**
   * On PostgreSQL ({@link io.tito.spi.Capability#RELAXED_DURABILITY}): a commit of sequenced
   * appends in one round (pub/sub's releases) runs its data transaction with {@code
   * synchronous_commit = off}; other commit paths stay durable. Ignored elsewhere.
   */
  @Override
  public void relaxDurability() {
    relaxed = engine.commitWriter().relaxedDurability();
  }

  @Override
  protected void checkUsable() {
    engine.ensureOpen();
  }

  @Override
  protected byte[] snapshotGet(byte[] key) {
    if (versionUnread) {
      return snapshotGetAll(List.of(key)).get(0);
    }
    try (PreparedStatement ps = connection().prepareStatement(engine.statements().get)) {
      ps.setBytes(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    } catch (SQLException e) {
      throw failure("get", e);
    }
  }

  @Override
  protected List<byte[]> snapshotGetAll(List<byte[]> keys) {
    Map<ByteBuffer, byte[]> found = new HashMap<>();
    try {
      for (int from = 0; from < keys.size(); from += Statements.IN_CHUNK) {
        List<byte[]> chunk = keys.subList(from, Math.min(keys.size(), from + Statements.IN_CHUNK));
        try (PreparedStatement ps = connectionForRead().prepareStatement(
            withVersion(engine.statements().getMany(chunk.size())))) {
          for (int i = 0; i < chunk.size(); i++) {
            ps.setBytes(i + 1, chunk.get(i));
          }
          boolean withVersion = versionUnread;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              byte[] k = rs.getBytes(1);
              byte[] v = rs.getBytes(2);
              if (k == null) {
                snapshot = new VersionCut.Snapshot(
                    Long.parseLong(new String(v, java.nio.charset.StandardCharsets.US_ASCII)), null, -1);
                versionUnread = false;
              } else if (v != null) {
                found.put(ByteBuffer.wrap(k), v);
              }
            }
          }
          if (withVersion && versionUnread) {
            throw new SQLException("the store's version row is missing", "TT001");
          }
        }
      }
    } catch (SQLException e) {
      throw failure("get", e);
    }
    List<byte[]> out = new ArrayList<>(keys.size());
    Set<ByteBuffer> handedOut = new HashSet<>();
    for (byte[] key : keys) {
      ByteBuffer k = ByteBuffer.wrap(key);
      byte[] v = found.get(k);
      // The driver's arrays are fresh: only a key asked for again needs a copy of its own.
      out.add(v == null ? null : handedOut.add(k) ? v : v.clone());
    }
    return out;
  }

  @Override
  protected KeyValueCursor snapshotScan(byte[] begin, byte[] end, boolean reverse, int limitHint) {
    engine.ensureOpen();
    int pageSize = engine.options().pageSize();
    int first = limitHint > 0 ? Math.min(limitHint, pageSize) : pageSize;
    return new PageCursor(this, begin, end, reverse, pageSize, first);
  }

  /**
   * Every read in one statement ({@link Statements#scanMany}): one round trip where a {@link
   * PageCursor} per read takes one each.
   */
  @Override
  protected List<List<KeyValue>> snapshotScanAll(List<RangeRead> reads) {
    if (reads.isEmpty()) {
      engine.ensureOpen();
      return new ArrayList<>();
    }
    try {
      if (!versionUnread) {
        return scanMany(connection(), engine.statements(), reads, null);
      }
      // MariaDB: the snapshot's version as one more row of the same statement (as getAll).
      long[] version = {-1};
      List<List<KeyValue>> out = scanMany(connectionForRead(), engine.statements(), reads, version);
      if (version[0] < 0) {
        throw new SQLException("the store's version row is missing", "TT001");
      }
      snapshot = new VersionCut.Snapshot(version[0], null, -1);
      versionUnread = false;
      return out;
    } catch (SQLException e) {
      throw failure("scan", e);
    }
  }

  /** {@code reads} (not empty) in one {@link Statements#scanMany} statement on {@code c}. */
  static List<List<KeyValue>> scanMany(Connection c, Statements sql, List<RangeRead> reads)
      throws SQLException {
    return scanMany(c, sql, reads, null);
  }

  /**
   * {@code reads} in one statement; with {@code version} not null, that statement also reads the
   * store's version row (MariaDB), into {@code version[0]}.
   */
  private static List<List<KeyValue>> scanMany(Connection c, Statements sql, List<RangeRead> reads,
      long[] version) throws SQLException {
    boolean[] reverse = new boolean[reads.size()];
    List<List<KeyValue>> out = new ArrayList<>(reads.size());
    for (int i = 0; i < reverse.length; i++) {
      reverse[i] = reads.get(i).options().reverse();
      out.add(new ArrayList<>());
    }
    String statement = sql.scanMany(reverse);
    if (version != null) {
      statement = sql.versionRowTagged + " UNION ALL " + statement;
    }
    try (PreparedStatement ps = c.prepareStatement(statement)) {
      int at = 1;
      for (RangeRead r : reads) {
        ps.setBytes(at++, r.range().begin());
        ps.setBytes(at++, r.range().end());
        ps.setInt(at++, r.options().limit());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int q = rs.getInt(1);
          if (q < 0) {
            version[0] = Long.parseLong(new String(rs.getBytes(3), java.nio.charset.StandardCharsets.US_ASCII));
          } else {
            out.get(q).add(new KeyValue(rs.getBytes(2), rs.getBytes(3)));
          }
        }
      }
    }
    // UNION ALL promises no order: each read's rows are put in its own.
    for (int i = 0; i < reverse.length; i++) {
      List<KeyValue> rows = out.get(i);
      rows.sort(reverse[i] ? (a, b) -> ByteArrays.compare(b.key(), a.key())
          : (a, b) -> ByteArrays.compare(a.key(), b.key()));
    }
    return out;
  }

  /**
   * {@link Stamp#MAX} where commits are serialised (MariaDB: stamps are commit versions, in
   * visibility order). On PostgreSQL (see {@link VersionCut.Snapshot}): asked before a read-only
   * transaction's first read, the lowest transaction id among the store's commits in flight, read
   * before the snapshot is taken ({@link VersionCut#stampHorizonBeforeSnapshot}); otherwise the
   * snapshot's lowest running transaction id in the cluster, read at begin (write transactions)
   * or once, lazily. Plus the store's stamp base, in both cases.
   */
  @Override
  protected Stamp snapshotStampHorizon() {
    if (engine.statements().stampHorizon == null) {
      return Stamp.MAX;
    }
    if (stampHorizon < 0) {
      stampHorizon = snapshot.stampHorizon();
    }
    if (stampHorizon < 0) {
      try {
        if (!snapshotTaken) {
          stampHorizon = VersionCut.stampHorizonBeforeSnapshot(connection(), engine.statements());
        } else {
          stampHorizon = VersionCut.stampHorizon(connection(), engine.statements());
        }
      } catch (SQLException e) {
        throw failure("stampHorizon", e);
      }
    }
    return new Stamp(stampHorizon, 0);
  }

  @Override
  protected boolean commitOrderedKeys() {
    return true;
  }

  @Override
  protected boolean sequencedAppends() {
    return true;
  }

  /**
   * PostgreSQL, and MariaDB with multi-statement queries: an expectation's read goes into the
   * commit's check when it can (below).
   */
  @Override
  protected boolean defersExpectations() {
    return engine.commitWriter().defersExpectations();
  }

  @Override
  protected boolean checksExpectations(WriteSet writes) {
    return engine.commitWriter().checksExpectations(writes);
  }

  @Override
  protected void commitWrites(WriteSet writes) {
    engine.ensureOpen();
    try {
      engine.commitWriter().commit(connection, snapshot, beganNanos, writes, channels, relaxed);
    } catch (TitoException e) {
      if (!(e instanceof io.tito.ConflictException)) {
        broken = true;
      }
      throw e;
    }
  }

  @Override
  protected void release() {
    if (!broken) {
      try {
        connection.rollback();
      } catch (SQLException e) {
        broken = true;
      }
    }
    engine.giveBack(source, connection, broken);
  }
}
