package io.tito.bench.peers;

import io.tito.bench.peers.QuerySystems.QuerySystem;
import io.tito.bench.peers.QuerySystems.SqliteQueries;
import io.tito.bench.peers.QuerySystems.TitoQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Scenario 4, index queries: a point read by id and the first page of 50 rows of an index query
 * ({@code city = ? AND age >= ?} ordered by (age, id), records returned decoded) at growing
 * record counts, single-threaded. Tito on RocksDB against SQLite with the equivalent index (see
 * {@link QuerySystems}).
 *
 * <p>Each system loads records up to the first size, is measured, loads up to the next size, and
 * so on. Per size and query it runs {@code warmup} operations, then times {@code operations}
 * operations one by one (HdrHistogram). Both systems draw the same arguments from the same seed,
 * and each operation's result is folded into a checksum: the checksums of the two systems must
 * match, or the run fails with {@link IllegalStateException}.
 */
public final class IndexQueries {

  /** Rows per page of the index query. */
  static final int PAGE = 50;

  /** The systems, in table order; Tito first. */
  static final List<String> SYSTEMS = List.of("tito", "sqlite");

  /**
   * Queries, in table order: the page through a plain index reads each row's record by id; the
   * covering one reads rows from index entries alone (a Tito covering index, an SQLite index
   * holding every column).
   */
  static final List<String> QUERIES = List.of("point read", "first page of " + PAGE,
      "first page of " + PAGE + ", covering index");

  /** One system's figures for one query at one size. */
  public record Outcome(long records, String query, String system, long operations,
      double perSecond, Latencies latencies, long checksum, double loadSeconds,
      double cpuMicros, double allocatedBytes) {

    /** Without the CPU and allocation figures (0). */
    public Outcome(long records, String query, String system, long operations, double perSecond,
        Latencies latencies, long checksum, double loadSeconds) {
      this(records, query, system, operations, perSecond, latencies, checksum, loadSeconds, 0, 0);
    }
  }

  private IndexQueries() {}

  /**
   * How a run is made: {@code settle} settles each store after each load before anything is timed
   * (Tito: {@code RocksDbEngine.compact()}, SQLite: a WAL checkpoint and {@code ANALYZE}), as a
   * long-running store is; {@code keep}, when not null, is a directory whose stores are kept after
   * the run and reused by the next one with the same {@code keep} (loaded only up to the sizes
   * they lack); {@code rounds} timed rounds per query and size, the systems alternating within
   * each round (the figures are the median round's throughput and the rounds' merged latencies);
   * {@code titoSettings} are extra settings of Tito's RocksDB engine (e.g. {@code
   * blockCacheBytes}); {@code systems} the systems run (of {@link #SYSTEMS}, Tito first; Tito
   * alone for profiling); {@code resettle} settles reused stores again (after a change of engine
   * settings that a compaction applies to every file); {@code queries} the indexes in {@link
   * #QUERIES} of the queries run (all of them by default; one alone for profiling).
   */
  public record Plan(boolean settle, Path keep, int rounds, Map<String, String> titoSettings,
      List<String> systems, boolean resettle, List<Integer> queries) {
    /** One round, stores neither settled nor kept, default engine settings, every system. */
    public static final Plan DEFAULT = new Plan(false, null, 1, Map.of(), SYSTEMS, false);

    /** Every query. */
    public Plan(boolean settle, Path keep, int rounds, Map<String, String> titoSettings,
        List<String> systems, boolean resettle) {
      this(settle, keep, rounds, titoSettings, systems, resettle, List.of(0, 1, 2));
    }
  }

  /** Runs every system at every size (ascending); {@code dir} receives one subdirectory each. */
  public static List<Outcome> run(Path dir, long[] sizes, int operations, int warmup)
      throws Exception {
    return run(dir, sizes, operations, warmup, Plan.DEFAULT);
  }

  /**
   * Runs every system at every size (ascending) as {@code plan} says; {@code dir} (or the plan's
   * {@code keep} directory) receives one subdirectory per system.
   */
  public static List<Outcome> run(Path dir, long[] sizes, int operations, int warmup, Plan plan)
      throws Exception {
    Path home = plan.keep() == null ? dir : plan.keep();
    List<Outcome> out = new ArrayList<>();
    List<QuerySystem> open = new ArrayList<>();
    try {
      for (String system : plan.systems()) {
        open.add(open(system, Files.createDirectories(home.resolve("query-" + system)),
            plan.titoSettings()));
      }
      for (long size : sizes) {
        double[] loadSeconds = new double[open.size()];
        for (int k = 0; k < open.size(); k++) {
          loadSeconds[k] = loadTo(open.get(k), home.resolve("query-" + plan.systems().get(k)),
              size, plan.settle(), plan.resettle());
        }
        for (int q : plan.queries()) {
          String query = QUERIES.get(q);
          out.addAll(measureRounds(open, plan.systems(), query, size, operations, warmup,
              plan.rounds(), loadSeconds));
        }
      }
    } finally {
      for (QuerySystem s : open) {
        s.close();
      }
    }
    check(out);
    return out;
  }

  /**
   * Loads {@code s} up to {@code size} records from what its directory's {@code loaded} file says
   * it holds, settles it if asked, and records the new count; returns the seconds spent loading
   * (settling included, 0 when nothing was loaded).
   */
  private static double loadTo(QuerySystem s, Path dir, long size, boolean settle,
      boolean resettle) throws Exception {
    Path marker = dir.resolve("loaded");
    long loaded = Files.exists(marker) ? Long.parseLong(Files.readString(marker).trim()) : 0;
    if (loaded > size) {
      throw new IllegalStateException(dir + " holds " + loaded + " records, more than " + size
          + ": use a fresh keep directory or ascending sizes");
    }
    if (loaded == size) {
      System.out.printf(Locale.ROOT, "reusing %s (%,d records)%n", dir, size);
      if (resettle) {
        long t = System.nanoTime();
        s.settle();
        System.out.printf(Locale.ROOT, "%s settled again in %.1f s%n", dir.getFileName(),
            (System.nanoTime() - t) / 1e9);
      }
      return 0;
    }
    long start = System.nanoTime();
    s.load(loaded, size);
    if (settle) {
      long t = System.nanoTime();
      s.settle();
      System.out.printf(Locale.ROOT, "%s settled in %.1f s%n", dir.getFileName(),
          (System.nanoTime() - t) / 1e9);
    }
    Files.writeString(marker, Long.toString(size));
    return (System.nanoTime() - start) / 1e9;
  }

  static QuerySystem open(String system, Path dir) throws Exception {
    return open(system, dir, Map.of());
  }

  static QuerySystem open(String system, Path dir, Map<String, String> titoSettings)
      throws Exception {
    return switch (system) {
      case "tito" -> new TitoQueries(dir, titoSettings);
      case "sqlite" -> new SqliteQueries(dir);
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
  }

  /**
   * {@code rounds} rounds of {@code query} at {@code size}, each system in turn within a round;
   * one outcome per system: median round throughput, merged latencies, the checksum every round
   * must have produced.
   */
  private static List<Outcome> measureRounds(List<QuerySystem> open, List<String> systems,
      String query, long size,
      int operations, int warmup, int rounds, double[] loadSeconds) throws Exception {
    List<List<Outcome>> perSystem = new ArrayList<>();
    for (int k = 0; k < open.size(); k++) {
      perSystem.add(new ArrayList<>());
    }
    for (int r = 0; r < rounds; r++) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%,d %s round %d:", size,
          query, r + 1));
      for (int k = 0; k < open.size(); k++) {
        Outcome o = measure(open.get(k), systems.get(k), query, size, operations, warmup,
            loadSeconds[k]);
        perSystem.get(k).add(o);
        line.append(String.format(Locale.ROOT,
            " %s %,.0f ops/s p50 %d µs cpu %.1f µs/op alloc %,.0f B/op;", systems.get(k),
            o.perSecond(), o.latencies().microsAt(50), o.cpuMicros(), o.allocatedBytes()));
      }
      System.out.println(line);
    }
    List<Outcome> out = new ArrayList<>();
    for (List<Outcome> os : perSystem) {
      Latencies merged = new Latencies();
      double[] rates = new double[os.size()];
      double[] cpus = new double[os.size()];
      for (int r = 0; r < os.size(); r++) {
        Outcome o = os.get(r);
        if (o.checksum() != os.get(0).checksum()) {
          throw new IllegalStateException(o.system() + " returned different results in round "
              + (r + 1) + " for " + query + " at " + size);
        }
        merged.add(o.latencies());
        rates[r] = o.perSecond();
        cpus[r] = o.cpuMicros();
      }
      java.util.Arrays.sort(rates);
      java.util.Arrays.sort(cpus);
      Outcome first = os.get(0);
      out.add(new Outcome(size, query, first.system(), first.operations(),
          rates[rates.length / 2], merged, first.checksum(), first.loadSeconds(),
          cpus[cpus.length / 2], first.allocatedBytes()));
    }
    return out;
  }

  private static Outcome measure(QuerySystem s, String system, String query, long size,
      int operations, int warmup, double loadSeconds) throws Exception {
    SplittableRandom random = new SplittableRandom(size * 31 + query.length());
    int kind = QUERIES.indexOf(query);
    for (int i = 0; i < warmup; i++) {
      once(s, kind, random, size);
    }
    Latencies latencies = new Latencies();
    long checksum = 0;
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuBegin = threads.getCurrentThreadCpuTime();
    com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
    long allocatedBegin = allocation.getCurrentThreadAllocatedBytes();
    long begin = System.nanoTime();
    for (int i = 0; i < operations; i++) {
      long t = System.nanoTime();
      checksum = checksum * 31 + once(s, kind, random, size);
      latencies.recordNanos(System.nanoTime() - t);
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    double cpuMicros = (threads.getCurrentThreadCpuTime() - cpuBegin) / 1e3 / operations;
    double allocated = (allocation.getCurrentThreadAllocatedBytes() - allocatedBegin)
        / (double) operations;
    return new Outcome(size, query, system, operations, operations / seconds, latencies, checksum,
        loadSeconds, cpuMicros, allocated);
  }

  private static long once(QuerySystem s, int kind, SplittableRandom random, long size)
      throws Exception {
    return switch (kind) {
      case 0 -> s.pointRead(random.nextLong(size));
      case 1 -> s.firstPage("city-" + random.nextInt(100), random.nextInt(60), PAGE, false);
      default -> s.firstPage("city-" + random.nextInt(100), random.nextInt(60), PAGE, true);
    };
  }

  /** Every system's checksum for a size and query must equal the first system's. */
  static void check(List<Outcome> outcomes) {
    for (Outcome o : outcomes) {
      Outcome reference = reference(outcomes, o);
      if (o.checksum() != reference.checksum()) {
        throw new IllegalStateException(String.format(
            "%s returned different results from %s for %s at %,d records",
            o.system(), reference.system(), o.query(), o.records()));
      }
    }
  }

  /** Tito's outcome for the same size and query as {@code o}. */
  static Outcome reference(List<Outcome> outcomes, Outcome o) {
    return outcomes.stream()
        .filter(r -> r.system().equals(SYSTEMS.get(0)) && r.records() == o.records()
            && r.query().equals(o.query()))
        .findFirst().orElseThrow();
  }

  static String label(String system) {
    return switch (system) {
      case "tito" -> "Tito on RocksDB";
      case "sqlite" -> "SQLite WAL, index (city, age)";
      default -> system;
    };
  }
}
