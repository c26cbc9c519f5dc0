package io.tito.bench.events;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Tito's own CPU per appended event, measured on one thread: EventBench's appends (10 events of
 * {@code {"amount": n}} to a new stream every 100 appends) on RocksDB with durability {@code none}
 * (no sync to wait for), timed by the appending thread's CPU clock, so other processes on a shared
 * machine slow the run down but barely change the figure. What it leaves out: RocksDB's background
 * flushes and compactions, the JIT, and everything the {@code group} sync adds. Arguments
 * {@code key=value}: {@code perAppend=10 warmup=30000 appends=20000 rounds=5 dir=<fresh>}. Prints
 * each round's CPU µs per event and their median.
 *
 * <p>Run: {@code bin/run-bench io.tito.bench.events.AppendCpuProbe}
 */
public final class AppendCpuProbe {

  private AppendCpuProbe() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    java.util.Map<String, String> s = io.tito.bench.BenchArgs.parse(args);
    int perAppend = Integer.parseInt(s.getOrDefault("perAppend", "10"));
    int warmup = Integer.parseInt(s.getOrDefault("warmup", "30000"));
    int appends = Integer.parseInt(s.getOrDefault("appends", "20000"));
    int rounds = Integer.parseInt(s.getOrDefault("rounds", "5"));
    Path dir = s.containsKey("dir") ? Path.of(s.get("dir")) : Files.createTempDirectory("tito-append-cpu-");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] micros = new double[rounds];
    try (EventSystem system = TitoEvents.rocksdb(Files.createDirectories(dir.resolve("store")), "none")) {
      long[] n = new long[1];
      run(system, perAppend, warmup, n);
      for (int r = 0; r < rounds; r++) {
        long cpu = threads.getCurrentThreadCpuTime();
        run(system, perAppend, appends, n);
        micros[r] = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / ((double) appends * perAppend);
        System.out.printf(Locale.ROOT, "round %d: %.3f us/event (thread CPU), load %s%n", r + 1,
            micros[r], EventWorkload.loadAverage());
      }
    }
    double[] sorted = micros.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "median %.3f us/event, %d-event appends, 1 thread, RocksDB none%n",
        sorted[rounds / 2], perAppend);
  }

  private static void run(EventSystem system, int perAppend, int count, long[] n) throws Exception {
    for (int i = 0; i < count; i++, n[0]++) {
      long inStream = n[0] % 100;
      system.append("probe-" + n[0] / 100, inStream * perAppend, perAppend, n[0] + 1);
    }
  }
}
