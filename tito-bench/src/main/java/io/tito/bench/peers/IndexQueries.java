package io.tito.bench.peers;

import io.tito.bench.peers.QuerySystems.QuerySystem;
import io.tito.bench.peers.QuerySystems.SqliteQueries;
import io.tito.bench.peers.QuerySystems.TitoQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      double perSecond, Latencies latencies, long checksum, double loadSeconds) {}

  private IndexQueries() {}

  /** Runs every system at every size (ascending); {@code dir} receives one subdirectory each. */
  public static List<Outcome> run(Path dir, long[] sizes, int operations, int warmup)
      throws Exception {
    List<Outcome> out = new ArrayList<>();
    for (String system : SYSTEMS) {
      try (QuerySystem s = open(system, Files.createDirectories(dir.resolve("query-" + system)))) {
        long loaded = 0;
        for (long size : sizes) {
          long start = System.nanoTime();
          s.load(loaded, size);
          double loadSeconds = (System.nanoTime() - start) / 1e9;
          loaded = size;
          for (String query : QUERIES) {
            out.add(measure(s, system, query, size, operations, warmup, loadSeconds));
          }
        }
      }
    }
    check(out);
    return out;
  }

  static QuerySystem open(String system, Path dir) throws Exception {
    return switch (system) {
      case "tito" -> new TitoQueries(dir);
      case "sqlite" -> new SqliteQueries(dir);
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
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
    long begin = System.nanoTime();
    for (int i = 0; i < operations; i++) {
      long t = System.nanoTime();
      checksum = checksum * 31 + once(s, kind, random, size);
      latencies.recordNanos(System.nanoTime() - t);
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    return new Outcome(size, query, system, operations, operations / seconds, latencies, checksum,
        loadSeconds);
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
