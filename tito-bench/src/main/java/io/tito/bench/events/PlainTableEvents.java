package io.tito.bench.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The plain JDBC peer: one PostgreSQL event table with Rillflow's shape (a {@code bigserial} global
 * sequence, {@code unique (stream_id, stream_seq)} as the expected-version check, JSONB payloads,
 * an event id) and a snapshot table; an append is one transaction with one {@code INSERT} per event.
 * Its global order is the sequence's, which is not commit order: a catch-up reader paging by
 * {@code global_seq} can skip an event whose transaction commits late. Tito's {@code $all} cannot.
 */
final class PlainTableEvents implements EventSystem {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HikariDataSource pool;

  /** Creates the tables in {@code schema} (which must exist and be empty). */
  PlainTableEvents(String serverUrl, String user, String schema, int poolSize) throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(serverUrl + "?currentSchema=" + schema);
    config.setUsername(user);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("plain-events");
    pool = new HikariDataSource(config);
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE events (global_seq BIGSERIAL PRIMARY KEY, stream_id TEXT NOT NULL,"
          + " stream_seq BIGINT NOT NULL, event_type TEXT NOT NULL, body JSONB NOT NULL,"
          + " headers JSONB NOT NULL DEFAULT '{}', causation_id TEXT, correlation_id TEXT,"
          + " event_id UUID NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
          + " UNIQUE (stream_id, stream_seq))");
      st.execute("CREATE TABLE snapshots (stream_id TEXT PRIMARY KEY, version BIGINT NOT NULL,"
          + " body JSONB NOT NULL)");
    }
  }

  @Override
  public String label() {
    return "plain table (PostgreSQL)";
  }

  @Override
  public void append(String stream, long expectedVersion, int count, long firstAmount)
      throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO events"
          + " (stream_id, stream_seq, event_type, body, event_id) VALUES (?, ?, ?, ?::jsonb, ?)")) {
        for (int i = 0; i < count; i++) {
          ps.setString(1, stream);
          ps.setLong(2, expectedVersion + 1 + i);
          ps.setString(3, "Deposited");
          ps.setString(4, "{\"amount\":" + (firstAmount + i) + "}");
          ps.setObject(5, UUID.randomUUID());
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  @Override
  public void snapshot(String stream, long version, long sum) throws Exception {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO snapshots (stream_id, version, body) VALUES (?, ?, ?::jsonb)"
            + " ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version,"
            + " body = excluded.body")) {
      ps.setString(1, stream);
      ps.setLong(2, version);
      ps.setString(3, JSON.writeValueAsString(new Account(sum)));
      ps.executeUpdate();
    }
  }

  @Override
  public long loadFromEvents(String stream) throws Exception {
    try (Connection c = pool.getConnection()) {
      return fold(c, stream, 0, 0);
    }
  }

  @Override
  public long loadWithSnapshot(String stream) throws Exception {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try {
        long sum = 0;
        long version = 0;
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT version, body FROM snapshots WHERE stream_id = ?")) {
          ps.setString(1, stream);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              version = rs.getLong(1);
              sum = JSON.readValue(rs.getString(2), Account.class).balance();
            }
          }
        }
        long result = fold(c, stream, version, sum);
        c.commit();
        return result;
      } finally {
        c.setReadOnly(false);
        c.setAutoCommit(true);
      }
    }
  }

  private static long fold(Connection c, String stream, long afterVersion, long sum)
      throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT stream_seq, event_type, body"
        + " FROM events WHERE stream_id = ? AND stream_seq > ? ORDER BY stream_seq")) {
      ps.setString(1, stream);
      ps.setLong(2, afterVersion);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sum += JSON.readValue(rs.getString(3), Deposited.class).amount();
        }
      }
    }
    return sum;
  }

  @Override
  public long readAll(int page, long[] sums) throws Exception {
    long n = 0;
    long sum = 0;
    long after = 0;
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT global_seq, stream_id, stream_seq, event_type, body FROM events"
            + " WHERE global_seq > ? ORDER BY global_seq LIMIT ?")) {
      while (true) {
        ps.setLong(1, after);
        ps.setInt(2, page);
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            after = rs.getLong(1);
            sum += JSON.readValue(rs.getString(5), Deposited.class).amount();
            rows++;
          }
        }
        n += rows;
        if (rows < page) {
          sums[0] = sum;
          return n;
        }
      }
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
