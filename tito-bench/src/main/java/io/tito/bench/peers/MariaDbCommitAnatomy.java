package io.tito.bench.peers;

import io.tito.ByteArrays;
import io.tito.bench.BenchServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 16, where MariaDB's time goes in a commit of the data layer's write ({@code
 * JdbcRecordInsertBenchmark}: a record with two indexes and one event, five key-value rows),
 * taken apart by replaying the statements of Tito's commit piece by piece on tables of the same
 * shape (fresh, dropped after). Prints ops/s and the server's CPU per op ({@code mariadbd}'s
 * user + system time from {@code /proc}, this machine's server). Modes (each of the first four
 * adds one piece to the one before):
 * <ul>
 *   <li>{@code plain}: the benchmark's plain JDBC write, two INSERTs and COMMIT in one query;
 *   <li>{@code kv}: the five rows in one multi-row upsert and COMMIT, one query;
 *   <li>{@code bump}: {@code kv} after the version row's update (the lock that orders commits);
 *   <li>{@code reads}: {@code bump} with the reads under the lock (one {@code UNION ALL}: the new
 *       version, the counter, three expected keys, a hold), still one query;
 *   <li>{@code tworound}: Tito's commit of a transaction that read nothing as it is sent: the
 *       same statements as {@code reads} in two queries, the client between them;
 *   <li>{@code tworound0}: {@code tworound} without the first query's {@code COMMIT} (which ends
 *       the snapshot transaction of a transaction that read; one that read nothing has none);
 *   <li>{@code onequery}: the rejected one-query form: the reads into session variables, a gate
 *       statement, the positions computed on the server, no result set.
 * </ul>
 *
 * <p>Usage: {@code bin/run-bench io.tito.bench.peers.MariaDbCommitAnatomy <mode> [ops] [threads]}
 * (defaults 20000 and 4).
 */
public final class MariaDbCommitAnatomy {

  private static final List<String> MODES = List.of("plain", "kv", "bump", "reads", "tworound", "tworound0", "onequery");

  private MariaDbCommitAnatomy() {}

  public static void main(String[] a) throws Exception {
    if (a.length < 1 || !MODES.contains(a[0])) {
      throw new IllegalArgumentException("usage: MariaDbCommitAnatomy <" + String.join("|", MODES) + "> [ops] [threads]");
    }
    String mode = a[0];
    int ops = a.length > 1 ? Integer.parseInt(a[1]) : 20_000;
    int threads = a.length > 2 ? Integer.parseInt(a[2]) : 4;
    if (ops < 1 || threads < 1) {
      throw new IllegalArgumentException("ops and threads must be at least 1, got " + ops + " and " + threads);
    }
    String t = BenchServers.freshTable("anat_");
    try {
      try (Connection c = BenchServers.connect("mariadb"); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE " + t + " (k VARBINARY(3072) NOT NULL PRIMARY KEY, v LONGBLOB NULL,"
            + " ver BIGINT NOT NULL) ENGINE=InnoDB");
        st.execute("CREATE TABLE " + t + "_meta (id INT PRIMARY KEY, version BIGINT NOT NULL) ENGINE=InnoDB");
        st.execute("CREATE TABLE " + t + "_holds (name VARCHAR(100) PRIMARY KEY, ver BIGINT) ENGINE=InnoDB");
        st.execute("INSERT INTO " + t + "_meta VALUES (1, 0)");
        st.execute("INSERT INTO " + t + " VALUES ('meta', 'm', 0)");
      }
      ProcessHandle server = ProcessHandle.allProcesses()
          .filter(p -> p.info().command().orElse("").endsWith("mariadbd")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no mariadbd process on this machine"));
      AtomicInteger next = new AtomicInteger();
      long cpu0 = cpuTicks(server.pid());
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> writers = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        writers.add(pool.submit(() -> {
          try (Connection c = java.sql.DriverManager.getConnection(
              BenchServers.url("mariadb") + "?allowMultiQueries=true", BenchServers.user("mariadb"), null)) {
            c.setAutoCommit(false);
            Writer w = new Writer(c, t);
            for (int i; (i = next.getAndIncrement()) < ops; ) {
              w.write(mode, i);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      pool.shutdown();
      long nanos = System.nanoTime() - t0;
      long ticks = cpuTicks(server.pid()) - cpu0;
      System.out.printf("%s threads=%d: %.0f ops/s, server CPU %.1f us/op%n", mode, threads,
          ops * 1e9 / nanos, ticks * 10_000.0 / ops);
    } finally {
      BenchServers.dropTables("mariadb", t, "_meta", "_holds");
    }
  }

  /** User + system clock ticks (100 per second) of process {@code pid}. */
  private static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** One connection's writes; keys as the data layer makes them. */
  private static final class Writer {
    private final Connection c;
    private final String t;

    Writer(Connection c, String t) {
      this.c = c;
      this.t = t;
    }

    void write(String mode, int i) throws SQLException {
      byte[] rec = b("t/people/" + i);
      byte[] byCity = b("i/city/" + i);
      byte[] byEmail = b("i/email/u" + i);
      byte[] counter = b("q/seq/" + (i % 8));
      byte[] log = b("q/log/" + (i % 8) + "/");
      byte[] record = b("{\"id\":" + i + ",\"email\":\"user" + i + "@example.com\",\"city\":\"city\",\"age\":64}");
      byte[] event = b("0123456789abcdef{\"id\":" + i + ",\"email\":\"user" + i + "@example.com\"}");
      String bump = "UPDATE " + t + "_meta SET version = LAST_INSERT_ID(version + 1) WHERE id = 1;\n";
      String reads = "SELECT 5 AS t, NULL AS x, NULL AS y, LAST_INSERT_ID() AS n UNION ALL SELECT 3, k, v, NULL FROM "
          + t + " WHERE k IN (?) UNION ALL SELECT 6, k, v, NULL FROM " + t + " WHERE k IN (?, ?, ?)"
          + " UNION ALL (SELECT 4, NULL, NULL, NULL FROM " + t + "_holds LIMIT 1);\n";
      String upsert = "INSERT INTO " + t + " (k, v, ver) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE v = VALUES(v), ver = VALUES(ver);\n";
      byte[][] keys = {byCity, byEmail, ByteArrays.concat(log, b(Integer.toString(i))), counter, rec};
      byte[][] values = {b("&x"), b("&x"), event, b("C" + i), record};
      switch (mode) {
        case "plain" -> {
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (k, v, ver) VALUES (?, ?, ?);\n"
              + "INSERT INTO " + t + " (k, v, ver) VALUES (?, ?, ?);\nCOMMIT")) {
            bindRows(ps, 1, new byte[][] {rec, keys[2]}, new byte[][] {record, event}, i);
            drain(ps);
          }
        }
        case "kv", "bump", "reads" -> {
          String pre = mode.equals("kv") ? "" : mode.equals("bump") ? bump : bump + reads;
          try (PreparedStatement ps = c.prepareStatement(pre + upsert + "COMMIT")) {
            int p = 1;
            if (mode.equals("reads")) {
              p = bindReads(ps, p, counter, rec, byEmail);
            }
            bindRows(ps, p, keys, values, i);
            drain(ps);
          }
        }
        case "tworound", "tworound0" -> {
          long version;
          String end = mode.equals("tworound") ? "COMMIT;\n" : "";
          try (PreparedStatement ps = c.prepareStatement(end + bump + reads)) {
            bindReads(ps, 1, counter, rec, byEmail);
            version = drain(ps);
          }
          try (PreparedStatement ps = c.prepareStatement(upsert + "COMMIT")) {
            bindRows(ps, 1, keys, values, version);
            drain(ps);
          }
        }
        default -> oneQuery(bump, rec, byCity, byEmail, counter, log, record, event);
      }
    }

    private void oneQuery(String bump, byte[] rec, byte[] byCity, byte[] byEmail, byte[] counter,
        byte[] log, byte[] record, byte[] event) throws SQLException {
      String value = "(SELECT v FROM " + t + " WHERE k = ?)";
      String q = "COMMIT;\n" + bump
          + "SET @tito_v = LAST_INSERT_ID(), @tito_u = ROW_COUNT(), @tito_h = EXISTS (SELECT 1 FROM " + t + "_holds),"
          + " @tito_m = COALESCE(IF(" + value + " <=> ?, NULL, 0), IF(" + value + " <=> ?, NULL, 1), IF("
          + value + " <=> ?, NULL, 2)), @tito_c0 = IFNULL((SELECT CAST(CONV(HEX(SUBSTRING(v, 2)), 16, 10)"
          + " AS UNSIGNED) FROM " + t + " WHERE k = ?), 0);\n"
          + "SET @tito_g = IF(@tito_u = 1 AND NOT @tito_h AND @tito_m IS NULL, 0, (SELECT 1 UNION ALL SELECT 2));\n"
          + "INSERT INTO " + t + " (k, v, ver) VALUES (?, ?, @tito_v), (?, ?, @tito_v), (?, ?, @tito_v),"
          + " (CONCAT(?, " + tuple("@tito_c0") + "), ?, @tito_v), (?, " + tuple("LAST_INSERT_ID(@tito_c0) + 1")
          + ", @tito_v) ON DUPLICATE KEY UPDATE v = VALUES(v), ver = VALUES(ver);\nCOMMIT";
      try (PreparedStatement ps = c.prepareStatement(q, Statement.RETURN_GENERATED_KEYS)) {
        int p = 1;
        ps.setBytes(p++, b("meta"));
        ps.setBytes(p++, b("m"));
        ps.setBytes(p++, rec);
        ps.setNull(p++, Types.VARBINARY);
        ps.setBytes(p++, byEmail);
        ps.setNull(p++, Types.VARBINARY);
        ps.setBytes(p++, counter);
        byte[][] keys = {byCity, byEmail, rec};
        byte[][] values = {b("&x"), b("&x"), record};
        for (int r = 0; r < 3; r++) {
          ps.setBytes(p++, keys[r]);
          ps.setBytes(p++, values[r]);
        }
        ps.setBytes(p++, log);
        ps.setBytes(p++, event);
        ps.setBytes(p, counter);
        boolean isResultSet = ps.execute();
        for (int r = 1; isResultSet || ps.getUpdateCount() != -1; r++) {
          if (r == 5) {
            try (ResultSet keysBack = ps.getGeneratedKeys()) {
              keysBack.next(); // the counter's base: the client's positions
            }
          }
          isResultSet = ps.getMoreResults();
        }
      }
    }

    private static int bindReads(PreparedStatement ps, int p, byte[] counter, byte[] rec, byte[] byEmail)
        throws SQLException {
      ps.setBytes(p++, counter);
      ps.setBytes(p++, b("meta"));
      ps.setBytes(p++, rec);
      ps.setBytes(p++, byEmail);
      return p;
    }

    private static void bindRows(PreparedStatement ps, int p, byte[][] keys, byte[][] values, long version)
        throws SQLException {
      for (int r = 0; r < keys.length; r++) {
        ps.setBytes(p++, keys[r]);
        ps.setBytes(p++, values[r]);
        ps.setLong(p++, version);
      }
    }

    /** Reads every result of {@code ps}; returns the version row (tag 5) if one came back, else 0. */
    private static long drain(PreparedStatement ps) throws SQLException {
      long version = 0;
      boolean isResultSet = ps.execute();
      while (isResultSet || ps.getUpdateCount() != -1) {
        if (isResultSet) {
          try (ResultSet rs = ps.getResultSet()) {
            while (rs.next()) {
              if (rs.getInt(1) == 5) {
                version = rs.getLong(4);
              }
            }
          }
        }
        isResultSet = ps.getMoreResults();
      }
      return version;
    }
  }

  /** MariaDB SQL for {@code Tuple.of(n).pack()} of the non-negative integer {@code n}. */
  private static String tuple(String n) {
    String hex = "HEX(" + n + ")";
    String len = "CEIL(LENGTH(" + hex + ") / 2)";
    return "IF((" + n + ") = 0, x'14', CONCAT(CHAR(20 + " + len + "), UNHEX(LPAD(" + hex + ", 2 * " + len + ", '0'))))";
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
