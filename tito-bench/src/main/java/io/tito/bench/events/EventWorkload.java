package io.tito.bench.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The work the event-store benchmark gives every system, in one order: appends of 1 event, appends
 * of 10 events (each by {@code writers} threads on distinct streams, a new stream every 100
 * appends, for a fixed time), an aggregate of 1,000 events loaded from its events and then from a
 * snapshot at version 1,000, and a catch-up read of the whole global log. It checks that every
 * system did the same work: loads return the aggregate's sum, and the catch-up read returns every
 * appended event with the sum of all amounts; a mismatch fails with {@link IllegalStateException}.
 */
final class EventWorkload {

  /** Run sizes: seconds per append phase, timed load counts, the read page. */
  record Sizes(int writers, double appendSeconds, int maxAppendsPerWriter, int warmupAppends,
      int loadsFromEvents, int loadsWithSnapshot, int page) {
    static final Sizes QUICK = new Sizes(4, 1, 2_000, 20, 10, 200, 500);
    static final Sizes FULL = new Sizes(4, 8, 1_000_000, 200, 200, 20_000, 500);

    Sizes withWarmupAppends(int n) {
      return new Sizes(writers, appendSeconds, maxAppendsPerWriter, n, loadsFromEvents,
          loadsWithSnapshot, page);
    }
  }

  /**
   * One append phase: appends and events per second, and the process's CPU time over the phase
   * (all its threads; for a server-backed system the client side only).
   */
  record Appends(int eventsPerAppend, long appends, double seconds, double cpuSeconds) {
    double cpuMicrosPerEvent() {
      return cpuSeconds * 1e6 / (appends * eventsPerAppend);
    }

    double appendsPerSecond() {
      return appends / seconds;
    }

    double eventsPerSecond() {
      return appends * eventsPerAppend / seconds;
    }
  }

  /** Latencies of one kind of load, in microseconds, sorted. */
  record Loads(long[] micros) {
    double p50Ms() {
      return micros[micros.length / 2] / 1000.0;
    }

    double p99Ms() {
      return micros[Math.min(micros.length - 1, (int) (micros.length * 0.99))] / 1000.0;
    }

    double meanMs() {
      return Arrays.stream(micros).average().orElse(0) / 1000.0;
    }
  }

  /** Everything measured on one system. */
  record Outcome(String system, Appends one, Appends ten, Loads fromEvents, Loads withSnapshot,
      long readEvents, double readSeconds, String loadAverage) {
    double readPerSecond() {
      return readEvents / readSeconds;
    }
  }

  /** System property: settle each system before its first phase ({@code EventBench --steady}). */
  static final String STEADY_PROPERTY = "tito.bench.steady";

  static final int AGGREGATE_EVENTS = 1_000;
  static final long AGGREGATE_SUM = (long) AGGREGATE_EVENTS * (AGGREGATE_EVENTS + 1) / 2;
  private static final int STREAM_APPENDS = 100;

  private final EventSystem system;
  private final Sizes sizes;
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong amounts = new AtomicLong();

  private EventWorkload(EventSystem system, Sizes sizes) {
    this.system = system;
    this.sizes = sizes;
  }

  /** Runs every phase on {@code system} (fresh and empty) and checks its results. */
  static Outcome run(EventSystem system, Sizes sizes) throws Exception {
    return new EventWorkload(system, sizes).run();
  }

  private Outcome run() throws Exception {
    if (Boolean.getBoolean(STEADY_PROPERTY)) {
      system.settle();
    }
    String before = loadAverage();
    Appends one = appends(1);
    Appends ten = appends(10);
    String aggregate = "account-1";
    for (int i = 0; i < AGGREGATE_EVENTS / 10; i++) {
      append(aggregate, i * 10L, 10, i * 10L + 1);
    }
    Loads fromEvents = loads(aggregate, sizes.loadsFromEvents(), false);
    system.snapshot(aggregate, AGGREGATE_EVENTS, AGGREGATE_SUM);
    Loads withSnapshot = loads(aggregate, sizes.loadsWithSnapshot(), true);
    long[] sum = new long[1];
    long start = System.nanoTime();
    long read = system.readAll(sizes.page(), sum);
    double readSeconds = (System.nanoTime() - start) / 1e9;
    if (read != events.get() || sum[0] != amounts.get()) {
      throw new IllegalStateException(String.format(
          "%s: catch-up read %,d events with sum %d, expected %,d with sum %d", system.label(),
          read, sum[0], events.get(), amounts.get()));
    }
    return new Outcome(system.label(), one, ten, fromEvents, withSnapshot, read, readSeconds,
        before + " → " + loadAverage());
  }

  private void append(String stream, long expected, int count, long firstAmount) throws Exception {
    system.append(stream, expected, count, firstAmount);
    events.addAndGet(count);
    amounts.addAndGet(count * firstAmount + (long) count * (count - 1) / 2);
  }

  /** Warm-up appends, then {@code writers} threads appending until the phase's time is up. */
  private Appends appends(int perAppend) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(sizes.writers());
    try {
      runWriters(pool, perAppend, "warm", Long.MAX_VALUE, sizes.warmupAppends());
      long cpu = processCpuNanos();
      long start = System.nanoTime();
      long deadline = start + (long) (sizes.appendSeconds() * 1e9);
      long appends = runWriters(pool, perAppend, "timed", deadline, sizes.maxAppendsPerWriter());
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Appends(perAppend, appends, seconds, (processCpuNanos() - cpu) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private long runWriters(ExecutorService pool, int perAppend, String phase, long deadline,
      int maxAppends) throws Exception {
    List<Future<Long>> writers = new ArrayList<>();
    for (int w = 0; w < sizes.writers(); w++) {
      String prefix = phase + "-" + perAppend + "-w" + w + "-";
      writers.add(pool.submit(() -> {
        long n = 0;
        while (n < maxAppends && System.nanoTime() < deadline) {
          long inStream = n % STREAM_APPENDS;
          append(prefix + n / STREAM_APPENDS, inStream * perAppend, perAppend, n + 1);
          n++;
        }
        return n;
      }));
    }
    long total = 0;
    for (Future<Long> f : writers) {
      total += f.get();
    }
    return total;
  }

  private Loads loads(String stream, int count, boolean snapshot) throws Exception {
    int warmup = Math.max(5, count / 10);
    long[] micros = new long[count];
    for (int i = -warmup; i < count; i++) {
      long start = System.nanoTime();
      long sum = snapshot ? system.loadWithSnapshot(stream) : system.loadFromEvents(stream);
      long took = (System.nanoTime() - start) / 1000;
      if (sum != AGGREGATE_SUM) {
        throw new IllegalStateException(String.format("%s: loaded sum %d, expected %d",
            system.label(), sum, AGGREGATE_SUM));
      }
      if (i >= 0) {
        micros[i] = took;
      }
    }
    Arrays.sort(micros);
    return new Loads(micros);
  }

  /** CPU time of this process so far, all threads (native ones included), in nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The 1-minute load average, from /proc/loadavg ("?" where there is none). */
  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
