package io.tito.bench.events;

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
import java.util.HashMap;
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
 * <p>Run: {@code bin/run-bench io.tito.bench.events.PgAppendCost events=1}
 */
public final class PgAppendCost {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private PgAppendCost() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Map<String, String> s = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      s.put(a.substring(0, eq), a.substring(eq + 1));
    }
    int threads = Integer.parseInt(s.getOrDefault("threads", "4"));
    int events = Integer.parseInt(s.getOrDefault("events", "1"));
    double warmup = Double.parseDouble(s.getOrDefault("warmup", "20"));
    double seconds = Double.parseDouble(s.getOrDefault("seconds", "10"));
    int rounds = Integer.parseInt(s.getOrDefault("rounds", "2"));
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
        long[] out = new long[3];
        long start = System.nanoTime();
        run(store, threads, events, seconds, next, out);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long serverAfter = serverTicks(app);
        long n = out[0];
        System.out.printf(Locale.ROOT,
            "round %d: %d-event appends %,.0f/s; writer CPU %.1f us/append; writer alloc %,d"
                + " B/append; server backends CPU %.1f us/append; load %s -> %s%n",
            r + 1, events, n / elapsed, out[1] / 1e3 / n, out[2] / n,
            (serverAfter - server) * 1e6 / ticksPerSecond() / n, loadBefore,
            EventWorkload.loadAverage());
      }
    } finally {
      EventBench.dropSchema(schema);
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
