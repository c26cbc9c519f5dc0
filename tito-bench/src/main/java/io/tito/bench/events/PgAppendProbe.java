package io.tito.bench.events;

import io.tito.bench.BenchArgs;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tito's client CPU per 1-event append on PostgreSQL (issue 12), a small driver for profiling:
 * {@code threads} writers append 1-event appends to their own streams (a new stream every 100
 * appends) for {@code seconds} after {@code warmup} seconds, into a fresh schema. Prints appends/s
 * and this JVM's CPU µs per append (all threads, client side only), with the load average.
 * Arguments {@code key=value}: {@code threads=4 seconds=20 warmup=5 rounds=1 system=tito-pg
 * urlSuffix=} (appended to Tito's JDBC URL, e.g. {@code ?prepareThreshold=1}; or {@code plain},
 * {@code axon}: EventBench's keys; their pools have EventBench's size).
 *
 * <p>Run: {@code bin/run-bench io.tito.bench.events.PgAppendProbe seconds=20}
 */
public final class PgAppendProbe {

  private PgAppendProbe() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Map<String, String> s = BenchArgs.parse(args);
    int threads = Integer.parseInt(s.getOrDefault("threads", "4"));
    double seconds = Double.parseDouble(s.getOrDefault("seconds", "20"));
    double warmup = Double.parseDouble(s.getOrDefault("warmup", "5"));
    int rounds = Integer.parseInt(s.getOrDefault("rounds", "1"));
    String schema = EventBench.createSchema();
    String key = s.getOrDefault("system", "tito-pg");
    String urlSuffix = s.getOrDefault("urlSuffix", "");
    try (EventSystem system = key.equals("tito-pg") && !urlSuffix.isEmpty()
        ? TitoEvents.postgresql(EventBench.PG_URL + urlSuffix, EventBench.PG_USER, schema,
            EventBench.PG_POOL)
        : EventBench.open(key, null, schema)) {
      AtomicLong[] next = new AtomicLong[threads];
      for (int t = 0; t < threads; t++) {
        next[t] = new AtomicLong();
      }
      run(system, threads, warmup, next);
      for (int r = 0; r < rounds; r++) {
        String loadBefore = EventWorkload.loadAverage();
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        long appends = run(system, threads, seconds, next);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (processCpuNanos() - cpu) / 1e3 / appends;
        System.out.printf(Locale.ROOT,
            "round %d: %,.0f appends/s, %.1f us CPU/append (writer threads %.1f; %d appends, %d"
                + " threads), load %s -> %s%n",
            r + 1, appends / elapsed, cpuMicros, writerCpu.get() / 1e3 / appends, appends, threads,
            loadBefore,
            EventWorkload.loadAverage());
      }
    } finally {
      if (s.containsKey("keep")) {
        System.out.println("kept schema " + schema);
      } else {
        EventBench.dropSchema(schema);
      }
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      ManagementFactory.getThreadMXBean();

  /** CPU nanoseconds of the writer threads in the last run. */
  private static final AtomicLong writerCpu = new AtomicLong();

  private static long run(EventSystem system, int threads, double seconds, AtomicLong[] next)
      throws InterruptedException {
    writerCpu.set(0);
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong total = new AtomicLong();
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers[t] = new Thread(() -> {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long done = 0;
        while (System.nanoTime() < deadline) {
          long n = next[id].getAndIncrement();
          try {
            system.append("w" + id + "-" + n / 100, n % 100, 1, n + 1);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          done++;
        }
        total.addAndGet(done);
        writerCpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu);
      });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    return total.get();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
