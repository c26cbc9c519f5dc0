package io.tito.bench.peers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 16, what the key-value layout alone costs PostgreSQL for the data layer's write
 * ({@code JdbcRecordInsertBenchmark}: a record with two indexes and one event), with none of
 * Tito's locks, checks or notifications: a floor for the JDBC engine. Four threads for
 * {@code seconds}, in fresh tables dropped after, one of three modes:
 * <ul>
 *   <li>{@code plain}: the benchmark's plain JDBC write: two INSERTs and COMMIT (3 round trips);
 *   <li>{@code kv}: the same write as Tito stores it, five key-value rows (record, two index
 *       entries, event, the partition's counter, which exists) in one {@code INSERT ... SELECT
 *       FROM unnest ... ON CONFLICT} pipelined with {@code COMMIT} (1 round trip);
 *   <li>{@code kvreads}: {@code kv} after the two reads Tito's data layer makes first (topic and
 *       model metadata, the unique index entry; 3 round trips).
 * </ul>
 *
 * <p>Usage: {@code bin/run-bench io.tito.bench.peers.PgKvFloor <plain|kv|kvreads> [seconds]}.
 */
public final class PgKvFloor {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

  private PgKvFloor() {}

  public static void main(String[] a) throws Exception {
    if (a.length < 1 || !List.of("plain", "kv", "kvreads").contains(a[0])) {
      throw new IllegalArgumentException("usage: PgKvFloor <plain|kv|kvreads> [seconds]");
    }
    String mode = a[0];
    int seconds = a.length > 1 ? Integer.parseInt(a[1]) : 10;
    String t = "kvf_" + System.nanoTime();
    createTables(t);
    try {
      AtomicLong ids = new AtomicLong();
      AtomicLong ops = new AtomicLong();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> writers = new ArrayList<>();
      for (int th = 0; th < THREADS; th++) {
        writers.add(pool.submit(() -> {
          try (Connection c = DriverManager.getConnection(URL, USER, null)) {
            c.setAutoCommit(false);
            Writer w = new Writer(c, t);
            while (System.nanoTime() < end) {
              long i = ids.incrementAndGet();
              if (mode.equals("plain")) {
                w.plain(i);
              } else {
                w.kv(i, mode.equals("kvreads"));
              }
              ops.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      pool.shutdown();
      System.out.printf("%s: %.0f ops/s%n", mode, ops.get() / (double) seconds);
    } finally {
      try (Connection c = DriverManager.getConnection(URL, USER, null); Statement st = c.createStatement()) {
        st.execute("DROP TABLE " + t + ", " + t + "_p, " + t + "_o");
      }
    }
  }

  private static final int THREADS = 4;
  private static final String USER = "postgres";

  /** The key-value table (Tito's columns), the plain record table and the plain outbox table. */
  private static void createTables(String t) throws java.sql.SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + t + " (k bytea PRIMARY KEY, v bytea, ver bigint NOT NULL, xid xid8)");
      st.execute("CREATE TABLE " + t + "_p (id BIGINT PRIMARY KEY, email VARCHAR(255) NOT NULL,"
          + " city VARCHAR(64) NOT NULL, age INT NOT NULL, name VARCHAR(255) NOT NULL)");
      st.execute("CREATE UNIQUE INDEX " + t + "_e ON " + t + "_p (email)");
      st.execute("CREATE INDEX " + t + "_ca ON " + t + "_p (city, age)");
      st.execute("CREATE TABLE " + t + "_o (id UUID PRIMARY KEY, topic VARCHAR(64) NOT NULL,"
          + " msg_key VARCHAR(64) NOT NULL, payload bytea NOT NULL,"
          + " created TIMESTAMPTZ NOT NULL DEFAULT now())");
      st.execute("INSERT INTO " + t + " VALUES ('\\x01'::bytea, '\\x00'::bytea, 0, NULL)"); // the counter
    }
  }

  /** One thread's statements. */
  private static final class Writer {
    private final Connection c;
    private final PreparedStatement insertPerson;
    private final PreparedStatement insertEvent;
    private final PreparedStatement upsertAndCommit;
    private final PreparedStatement getTwo;
    private final PreparedStatement getOne;

    Writer(Connection c, String t) throws java.sql.SQLException {
      this.c = c;
      insertPerson = c.prepareStatement("INSERT INTO " + t + "_p (id, email, city, age, name)"
          + " VALUES (?, ?, ?, ?, ?)");
      insertEvent = c.prepareStatement("INSERT INTO " + t + "_o (id, topic, msg_key, payload)"
          + " VALUES (?, ?, ?, ?)");
      upsertAndCommit = c.prepareStatement("INSERT INTO " + t + " (k, v, ver, xid)"
          + " SELECT k, v, 1, pg_current_xact_id() FROM unnest(?::bytea[], ?::bytea[]) AS x(k, v)"
          + " ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, ver = EXCLUDED.ver, xid = EXCLUDED.xid;\nCOMMIT");
      getTwo = c.prepareStatement("SELECT k, v FROM " + t + " WHERE k IN (?, ?)");
      getOne = c.prepareStatement("SELECT v FROM " + t + " WHERE k = ?");
    }

    void plain(long i) throws java.sql.SQLException {
      insertPerson.setLong(1, i);
      insertPerson.setString(2, email(i));
      insertPerson.setString(3, city(i));
      insertPerson.setInt(4, age(i));
      insertPerson.setString(5, "Person number " + i);
      insertPerson.executeUpdate();
      insertEvent.setObject(1, UUID.randomUUID());
      insertEvent.setString(2, "people");
      insertEvent.setString(3, Long.toString(i));
      insertEvent.setBytes(4, payload(i));
      insertEvent.executeUpdate();
      c.commit();
    }

    void kv(long i, boolean reads) throws java.sql.SQLException {
      if (reads) {
        getTwo.setBytes(1, bytes("t/people/" + i % 8));
        getTwo.setBytes(2, bytes("m/people"));
        getTwo.executeQuery().close();
        getOne.setBytes(1, bytes("i/email/" + email(i)));
        getOne.executeQuery().close();
      }
      byte[][] keys = {bytes("r/people/" + i), bytes("i/email/" + email(i)),
          bytes("i/city/" + city(i) + "/" + i), bytes("q/people/" + i), new byte[] {1}};
      byte[][] values = {bytes("{\"id\":" + i + ",\"email\":\"" + email(i) + "\",\"city\":\""
          + city(i) + "\",\"age\":" + age(i) + ",\"name\":\"Person number " + i + "\"}"),
          new byte[] {1}, new byte[] {1}, payload(i), bytes(Long.toString(i))};
      upsertAndCommit.setArray(1, c.createArrayOf("bytea", keys));
      upsertAndCommit.setArray(2, c.createArrayOf("bytea", values));
      boolean rs = upsertAndCommit.execute();
      while (rs || upsertAndCommit.getUpdateCount() != -1) {
        rs = upsertAndCommit.getMoreResults();
      }
    }

    private static String email(long i) {
      return "user" + i + "@example.com";
    }

    private static String city(long i) {
      return "city-" + i % 100;
    }

    private static int age(long i) {
      return (int) (i * 7 % 90);
    }

    private static byte[] payload(long i) {
      return bytes("{\"id\":" + i + ",\"email\":\"" + email(i) + "\"}");
    }

    private static byte[] bytes(String s) {
      return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
