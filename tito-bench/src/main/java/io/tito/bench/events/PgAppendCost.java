package io.tito.bench.events;

import io.tito.bench.BenchArgs;
import io.tito.Tito;
import io.tito.events.EventData;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Costs of Tito's event-store appends on PostgreSQL that do not depend on the machine's load
 * (issue 12): per append, the writer threads' CPU and allocated bytes ({@code ThreadMXBean}) and
 * the CPU of the PostgreSQL backends serving Tito's pool (read from {@code /proc/<pid>/stat}, so
 * the server must run on this machine and its processes be readable; the backends are found by
 * the pool's {@code ApplicationName}). {@code threads} writers append {@code events}-event
 * appends to their own streams (a new stream every 100 appends) into a fresh schema, for {@code
 * warmup} seconds (JIT included), then {@code rounds} rounds of {@code seconds}.
 * Arguments {@code key=value}: {@code threads=4 events=1 warmup=20 seconds=10 rounds=2}.
 *
 * <p>Also per round: WAL bytes per append from {@code pg_current_wal_lsn()} (the whole server's,
 * so other sessions' writes count too) and, with {@code waldump=<pg_waldump binary>
 * pgwal=<the server's pg_wal directory>}, the WAL records and bytes of the store's key table and
 * its indexes alone ({@code pg_waldump --relation --stats} over the round's range: independent
 * of other sessions); after the run, the share of the key table's updates that were HOT
 * ({@code pg_stat_user_tables}, read once the pool's backends have exited and flushed it).
 *
 * <p>Run: {@code bin/run-bench io.tito.bench.events.PgAppendCost events=1}
 */
public final class PgAppendCost {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private PgAppendCost() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Map<String, String> s = BenchArgs.parse(args);
    int threads = Integer.parseInt(s.getOrDefault("threads", "4"));
    int events = Integer.parseInt(s.getOrDefault("events", "1"));
    double warmup = Double.parseDouble(s.getOrDefault("warmup", "20"));
    double seconds = Double.parseDouble(s.getOrDefault("seconds", "10"));
    int rounds = Integer.parseInt(s.getOrDefault("rounds", "2"));
    String waldump = s.get("waldump");
    String pgwal = s.get("pgwal");
    String app = "tito-append-cost-" + ProcessHandle.current().pid();
    String schema = EventBench.createSchema();
    JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder()
        .jdbcUrl(EventBench.PG_URL + "?ApplicationName=" + app).user(EventBench.PG_USER)
        .schema(schema).poolSize(EventBench.PG_POOL).build());
    try (Tito tito = Tito.builder().engine(engine).with(EventStore.builder()).build()) {
      EventStore store = tito.module(EventStore.class);
      long[] next = new long[threads];
      run(store, threads, events, warmup, next, new long[3]);
      for (int r = 0; r < rounds; r++) {
        String loadBefore = EventWorkload.loadAverage();
        long server = serverTicks(app);
        String lsn = walLsn();
        long[] out = new long[3];
        long start = System.nanoTime();
        run(store, threads, events, seconds, next, out);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long serverAfter = serverTicks(app);
        String lsnAfter = walLsn();
        long n = out[0];
        System.out.printf(Locale.ROOT,
            "round %d: %d-event appends %,.0f/s; writer CPU %.1f us/append; writer alloc %,d"
                + " B/append; server backends CPU %.1f us/append; server WAL %,.0f B/append; load %s -> %s%n",
            r + 1, events, n / elapsed, out[1] / 1e3 / n, out[2] / n,
            (serverAfter - server) * 1e6 / ticksPerSecond() / n, walBytes(lsn, lsnAfter) / (double) n,
            loadBefore, EventWorkload.loadAverage());
        if (waldump != null && pgwal != null) {
          long[] kv = storeWal(waldump, pgwal, schema, lsn, lsnAfter);
          System.out.printf(Locale.ROOT, "round %d: key table and its indexes: %.2f WAL records, %,.0f WAL B"
              + " (full-page images included) per append%n", r + 1, kv[0] / (double) n, kv[1] / (double) n);
        }
      }
    } finally {
      try {
        System.out.println(hotShare(schema));
      } finally {
        EventBench.dropSchema(schema);
      }
    }
  }

  private static String walLsn() throws Exception {
    return query("SELECT pg_current_wal_lsn()::text");
  }

  private static long walBytes(String from, String to) throws Exception {
    return Long.parseLong(query("SELECT pg_wal_lsn_diff('" + to + "', '" + from + "')::bigint::text"));
  }

  /** The store's key table's updates and HOT updates over the run (after the pool closed). */
  private static String hotShare(String schema) throws Exception {
    String counts = null;
    for (int i = 0; i < 50 && counts == null; i++) {
      Thread.sleep(100); // the exiting backends flush their statistics
      counts = query("SELECT n_tup_upd || ' ' || n_tup_hot_upd FROM pg_stat_user_tables"
          + " WHERE schemaname = '" + schema + "' AND relname = 'tito_kv' AND n_tup_upd > 0");
    }
    if (counts == null) {
      return "key table: no updates counted";
    }
    String[] c = counts.split(" ");
    long upd = Long.parseLong(c[0]);
    long hot = Long.parseLong(c[1]);
    return String.format(Locale.ROOT, "key table over the run: %,d updates, %,d HOT (%.1f %%)", upd, hot,
        100.0 * hot / upd);
  }

  /** WAL records and bytes of the key table and its indexes between two positions (pg_waldump). */
  private static long[] storeWal(String waldump, String pgwal, String schema, String from, String to)
      throws Exception {
    String db = query("SELECT oid::text FROM pg_database WHERE datname = current_database()");
    String[] relations = query("SELECT string_agg(pg_relation_filenode(c.oid)::text, ' ')"
        + " FROM pg_class c WHERE c.oid = '" + schema + ".tito_kv'::regclass"
        + " OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = '" + schema + ".tito_kv'::regclass)")
        .split(" ");
    long[] total = new long[2];
    for (String rel : relations) {
      Process p = new ProcessBuilder(waldump, "-p", pgwal, "-s", from, "-e", to, "-R", "1663/" + db + "/" + rel,
          "--stats").redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      for (String line : output.split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 7 && f[0].equals("Total")) {
          total[0] += Long.parseLong(f[1]);
          total[1] += Long.parseLong(f[6]);
        }
      }
    }
    return total;
  }

  private static String query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(EventBench.PG_URL, EventBench.PG_USER, null);
        PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
  private static double ticksPerSecond() {
    return 100.0;
  }

  /** User + system clock ticks of the backends whose application name is {@code app}. */
  private static long serverTicks(String app) throws Exception {
    long sum = 0;
    try (Connection c = DriverManager.getConnection(EventBench.PG_URL, EventBench.PG_USER, null);
        PreparedStatement ps = c.prepareStatement(
            "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, app);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Path stat = Path.of("/proc/" + rs.getInt(1) + "/stat");
          if (Files.isReadable(stat)) {
            String line = Files.readString(stat);
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
          }
        }
      }
    }
    return sum;
  }

  private static void run(EventStore store, int threads, int events, double seconds, long[] next,
      long[] out) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong done = new AtomicLong();
    AtomicLong cpu = new AtomicLong();
    AtomicLong allocated = new AtomicLong();
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers[t] = new Thread(() -> {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        long count = 0;
        while (System.nanoTime() < deadline) {
          long k = next[id]++;
          EventData[] batch = new EventData[events];
          for (int i = 0; i < events; i++) {
            batch[i] = EventData.ofJson("Deposited", "{\"amount\":" + (k * events + i) + "}");
          }
          store.append("w" + id + "-" + k / 100, k % 100 == 0 ? ExpectedVersion.NO_STREAM
              : ExpectedVersion.exact(k % 100 * events), batch);
          count++;
        }
        done.addAndGet(count);
        cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu0);
        allocated.addAndGet(THREADS.getCurrentThreadAllocatedBytes() - alloc0);
      });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    out[0] = done.get();
    out[1] = cpu.get();
    out[2] = allocated.get();
  }
}
