package io.tito.bench.peers;

import io.tito.bench.BenchArgs;
import io.tito.bench.peers.QuerySystems.TitoQueries;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The cost of Tito's point reads (a record by id, as {@link IndexQueries}' point-read row) on a
 * kept, settled store, with the block cache warmed at open and without: per round, the block reads
 * per point read (the reading thread's read system calls, {@code syscr} of
 * {@code /proc/thread-self/io}: RocksDB reads a data block missing from its block cache with one
 * {@code pread} on the reading thread, and nothing else reads on it), the thread's CPU time per
 * read, and the p50. Each setting opens the store afresh (an empty block cache), in the order given,
 * in one JVM; the ids are the same in every opening (the harness's seed for the size).
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.peers.PointReadCosts store=DIR records=N
 * [reads=30000] [rounds=2] [warm=false,true,false,true]}, where {@code DIR} is a store kept by
 * {@code EmbeddedSpeed part=query keep=...} ({@code <keep>/query-tito}) holding {@code N} records.
 */
public final class PointReadCosts {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private PointReadCosts() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Map<String, String> s = BenchArgs.parse(args);
    Path store = Paths.get(s.get("store"));
    if (!Files.isDirectory(store)) {
      throw new IllegalArgumentException("store=" + store + " is not a kept Tito store");
    }
    long records = Long.parseLong(s.get("records"));
    int reads = Integer.parseInt(s.getOrDefault("reads", "30000"));
    int rounds = Integer.parseInt(s.getOrDefault("rounds", "2"));
    List<String> warm = List.of(s.getOrDefault("warm", "false,true,false,true").split(","));
    System.out.println(PeerBench.machine(false));
    System.out.println("| warmCache | load | open ms | round | block reads / read | CPU µs / read"
        + " | p50 µs |\n|---|---:|---:|---:|---:|---:|---:|");
    for (String w : warm) {
      String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      long t = System.nanoTime();
      try (TitoQueries tito = new TitoQueries(store, Map.of("warmCache", w))) {
        long openMs = (System.nanoTime() - t) / 1_000_000;
        for (int r = 1; r <= rounds; r++) {
          // The point-read row's ids at this size (IndexQueries.measure's seed), warm-up included.
          SplittableRandom random = new SplittableRandom(records * 31 + IndexQueries.QUERIES.get(0).length());
          long[] nanos = new long[reads];
          long sum = 0;
          long sysc = readCalls();
          long cpu = THREADS.getCurrentThreadCpuTime();
          for (int i = 0; i < reads; i++) {
            long s0 = System.nanoTime();
            sum += tito.pointRead(random.nextLong(records));
            nanos[i] = System.nanoTime() - s0;
          }
          double cpuMicros = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / reads;
          double blockReads = (readCalls() - sysc) / (double) reads;
          Arrays.sort(nanos);
          System.out.printf(Locale.ROOT, "| %s | %s | %,d | %d | %.2f | %.1f | %d |%s%n", w, load,
              openMs, r, blockReads, cpuMicros, nanos[reads / 2] / 1000,
              sum == 42 ? " " : "");
        }
      }
    }
  }

  /** The calling thread's read system calls so far ({@code /proc/thread-self/io}). */
  private static long readCalls() throws java.io.IOException {
    for (String l : Files.readAllLines(Path.of("/proc/thread-self/io"))) {
      if (l.startsWith("syscr:")) {
        return Long.parseLong(l.substring(6).trim());
      }
    }
    throw new IllegalStateException("no syscr in /proc/thread-self/io");
  }
}
