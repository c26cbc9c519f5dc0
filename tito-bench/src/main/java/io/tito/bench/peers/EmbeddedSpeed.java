package io.tito.bench.peers;

import io.tito.bench.BenchArgs;
import io.tito.bench.peers.WriteSystems.WriteSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 17's relaxed-write and index-query figures alone, sized for a shared machine: scenario 1
 * relaxed (Tito durability {@code none} against the raw RocksDB write batch and SQLite
 * {@code synchronous=NORMAL}) with the systems' rounds interleaved so load changes hit all of them,
 * and scenario 4 (point reads and first pages of 50 against SQLite) at chosen sizes.
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.peers.EmbeddedSpeed [key=value ...]}; settings and
 * defaults: {@code part=write,query}, {@code tx=50000} (timed transactions per round and system),
 * {@code warmup=20000}, {@code rounds=5}, {@code systems=tito,rocksdb-raw,sqlite},
 * {@code sizes=10000,100000} (records, ascending), {@code ops=20000} and {@code qwarmup=10000}
 * (timed and warm-up operations per query row; steady-state figures need {@code qwarmup=100000}:
 * after 10,000 the JVM's first rows still run code being compiled), {@code qrounds=1} (rounds per query row, the
 * systems alternating), {@code settle=false} (compact / checkpoint each store after loading; {@code again}:
 * reused stores too),
 * {@code qsystems=tito,sqlite} (Tito alone to profile it), {@code queries=0,1,2} (point read,
 * plain page, covering page: one alone to profile it), {@code keep} (a directory where the query stores are kept and reused by later runs: build the
 * 1,000,000-record stores once), {@code blockCacheBytes} and {@code rowCacheBytes} (Tito's engine settings), {@code dir}
 * (parent of the scratch directory).
 * Per write round it prints each system's transactions per second and the writer thread's CPU time
 * per transaction: on a shared machine whose disk is contended, the CPU ratio is the steadier
 * figure (a relaxed single-threaded write is CPU-bound on a quiet machine). Every system's stored
 * records and events are checked after the write rounds, and the query
 * checksums of both systems must agree, or the run fails.
 */
public final class EmbeddedSpeed {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  private EmbeddedSpeed() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Map<String, String> s = BenchArgs.parse(args);
    List<String> parts = List.of(s.getOrDefault("part", "write,query").split(","));
    Path dir = Files.createTempDirectory(
        Paths.get(s.getOrDefault("dir", System.getProperty("java.io.tmpdir"))), "tito-speed");
    try {
      System.out.println(PeerBench.machine(false));
      if (parts.contains("write")) {
        writes(dir, List.of(s.getOrDefault("systems", "tito,rocksdb-raw,sqlite").split(",")),
            Integer.parseInt(s.getOrDefault("tx", "50000")),
            Integer.parseInt(s.getOrDefault("warmup", "20000")),
            Integer.parseInt(s.getOrDefault("rounds", "5")));
      }
      if (parts.contains("query")) {
        long[] sizes = Arrays.stream(s.getOrDefault("sizes", "10000,100000").split(","))
            .mapToLong(Long::parseLong).toArray();
        int warmup = Integer.parseInt(s.getOrDefault("qwarmup", "10000"));
        Map<String, String> tito = new HashMap<>();
        for (String setting : List.of("blockCacheBytes", "rowCacheBytes")) {
          if (s.containsKey(setting)) {
            tito.put(setting, s.get(setting));
          }
        }
        IndexQueries.Plan plan = new IndexQueries.Plan(
            List.of("true", "again").contains(s.getOrDefault("settle", "false")),
            s.containsKey("keep") ? Files.createDirectories(Paths.get(s.get("keep"))) : null,
            Integer.parseInt(s.getOrDefault("qrounds", "1")), tito,
            List.of(s.getOrDefault("qsystems", "tito,sqlite").split(",")),
            s.getOrDefault("settle", "false").equals("again"),
            Arrays.stream(s.getOrDefault("queries", "0,1,2").split(","))
                .map(Integer::valueOf).toList());
        System.out.println(PeerBench.queryTable(IndexQueries.run(dir, sizes,
            Integer.parseInt(s.getOrDefault("ops", "20000")), warmup, plan), warmup));
      }
    } finally {
      PeerBench.delete(dir);
    }
  }

  private static void writes(Path dir, List<String> systems, int tx, int warmup, int rounds)
      throws Exception {
    WriteSystem[] open = new WriteSystem[systems.size()];
    long[] next = new long[systems.size()];
    double[][] perSecond = new double[systems.size()][rounds];
    double[][] cpuMicros = new double[systems.size()][rounds];
    try {
      for (int k = 0; k < open.length; k++) {
        open[k] = EmbeddedWrite.open(systems.get(k),
            Files.createDirectories(dir.resolve("relaxed-" + systems.get(k))), false);
        for (; next[k] < warmup; next[k]++) {
          open[k].write(next[k]);
        }
      }
      for (int r = 0; r < rounds; r++) {
        StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
        for (int k = 0; k < open.length; k++) {
          long start = System.nanoTime();
          long cpu = THREADS.getCurrentThreadCpuTime();
          for (long end = next[k] + tx; next[k] < end; next[k]++) {
            open[k].write(next[k]);
          }
          cpuMicros[k][r] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / tx;
          perSecond[k][r] = tx / ((System.nanoTime() - start) / 1e9);
          line.append(String.format(Locale.ROOT, " %s %,.0f tx/s %.1f µs CPU/tx", systems.get(k),
              perSecond[k][r], cpuMicros[k][r]));
        }
        if (open.length > 1) {
          line.append(String.format(Locale.ROOT, " (%s ÷ %s: wall %.2f, CPU %.2f)",
              systems.get(0), systems.get(1), perSecond[0][r] / perSecond[1][r],
              cpuMicros[1][r] / cpuMicros[0][r]));
        }
        System.out.println(line);
      }
      System.out.printf(Locale.ROOT, "%n| System (relaxed, %,d tx x %d rounds after %,d warm-up)"
          + " | median tx/s | %s ÷ system, wall (median of rounds) | writer CPU µs/tx (median)"
          + " | %s ÷ system, by writer CPU |%n|---|---:|---:|---:|---:|%n", tx, rounds, warmup,
          systems.get(0), systems.get(0));
      for (int k = 0; k < open.length; k++) {
        double[] ratio = new double[rounds];
        double[] cpuRatio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = perSecond[0][r] / perSecond[k][r];
          cpuRatio[r] = cpuMicros[k][r] / cpuMicros[0][r];
        }
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.1f | %.2f |%n",
            EmbeddedWrite.label(systems.get(k), "relaxed"), median(perSecond[k]), median(ratio),
            median(cpuMicros[k]), median(cpuRatio));
        if (open[k].records() != next[k] || open[k].events() != next[k]) {
          throw new IllegalStateException(systems.get(k) + " did different work: expected "
              + next[k] + " records and events");
        }
      }
    } finally {
      for (WriteSystem w : open) {
        if (w != null) {
          w.close();
        }
      }
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
