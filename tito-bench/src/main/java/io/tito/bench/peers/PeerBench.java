package io.tito.bench.peers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Tito against the systems users would pick instead, in one run on one machine (issue 6): every
 * scenario prints a table with Tito's figure, each peer's figure, and Tito's figure divided by the
 * peer's, so ratios hold on a noisy machine. Scenarios, printed in this order as each finishes:
 * 1, embedded write ({@link EmbeddedWrite}); 2, outbox end to end ({@link OutboxEndToEnd}); 3,
 * scheduled delivery ({@link ScheduledDelivery}); 4, index queries ({@link IndexQueries}); 5, the
 * machine's floor ({@link MachineFloor}). Scenarios 2 and 3 need the local PostgreSQL.
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.peers.PeerBench [--quick] [--dir=PATH]}; {@code
 * --quick} is a smoke-sized run (well under two minutes), {@code --dir} the parent of the scratch
 * directory (default: the JVM's temporary directory; it must be on a real disk for fsync figures
 * to mean anything). Output is Markdown, ready for BENCHMARKS.md.
 */
public final class PeerBench {

  /** Transaction and byte counts of one run. */
  record Sizes(int durable, int relaxed, int warmup, int appends, int mebibytes,
      long[] queryRecords, int queryOperations, int queryWarmup,
      int scheduled, Duration scheduledWindow,
      int outboxRocksdb, int outboxPostgresql, int outboxLatency) {
    static final Sizes QUICK = new Sizes(1_000, 20_000, 200, 1_000, 64,
        new long[] {10_000, 100_000}, 3_000, 3_000, 10_000, Duration.ofSeconds(5),
        3_000, 1_000, 300);
    static final Sizes FULL = new Sizes(5_000, 200_000, 10_000, 5_000, 256,
        new long[] {10_000, 100_000, 1_000_000}, 20_000, 10_000, 100_000,
        Duration.ofSeconds(10), 30_000, 10_000, 2_000);
  }

  private PeerBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    boolean quick = false;
    boolean writeOnly = false;
    Path parent = Paths.get(System.getProperty("java.io.tmpdir"));
    for (String a : args) {
      if (a.equals("--quick")) {
        quick = true;
      } else if (a.equals("--only=write")) {
        writeOnly = true;
      } else if (a.startsWith("--dir=")) {
        parent = Paths.get(a.substring("--dir=".length()));
      } else {
        throw new IllegalArgumentException("usage: PeerBench [--quick] [--only=write] [--dir=PATH], got " + a);
      }
    }
    Sizes sizes = quick ? Sizes.QUICK : Sizes.FULL;
    PrintStream out = System.out;
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, "tito-peers");
    try {
      out.println(machine(quick));
      List<EmbeddedWrite.Outcome> writes =
          EmbeddedWrite.run(dir, sizes.durable(), sizes.relaxed(), sizes.warmup());
      out.println(writeTables(writes, sizes.warmup()));
      if (writeOnly) {
        return;
      }
      out.println(outboxTable(OutboxEndToEnd.run(dir, sizes.outboxRocksdb(),
          sizes.outboxPostgresql(), sizes.outboxLatency())));
      out.println(scheduledTable(ScheduledDelivery.run(dir.resolve("scheduled"),
          sizes.scheduled(), sizes.scheduledWindow())));
      out.println(queryTable(IndexQueries.run(dir, sizes.queryRecords(), sizes.queryOperations(),
          sizes.queryWarmup()), sizes.queryWarmup()));
      MachineFloor.Outcome floor = MachineFloor.run(dir, sizes.appends(), sizes.mebibytes());
      out.println(floorTable(floor, writes));
    } finally {
      delete(dir);
    }
  }

  static String machine(boolean quick) {
    return String.format(Locale.ROOT,
        "Date %s; %d cores; JDK %s (%s); %s %s %s; mode %s%n",
        Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getProperty("java.vm.name"),
        System.getProperty("os.name"), System.getProperty("os.version"),
        System.getProperty("os.arch"), quick ? "--quick" : "full");
  }

  /** One table per durability mode for scenario 1. */
  static String writeTables(List<EmbeddedWrite.Outcome> outcomes, int warmup) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<EmbeddedWrite.Outcome>> e :
        EmbeddedWrite.byMode(outcomes).entrySet()) {
      List<EmbeddedWrite.Outcome> rows = e.getValue();
      double tito = rows.get(0).perSecond();
      b.append(String.format(Locale.ROOT,
          "%n### Scenario 1, embedded write, %s commits (%,d timed transactions after %,d warm-up;"
              + " each: 1 record + 2 indexes + 1 outbox event)%n%n",
          e.getKey(), rows.get(0).transactions(), warmup));
      b.append("| System | Transactions/s | Tito ÷ system | Records | Events |\n");
      b.append("|---|---:|---:|---:|---:|\n");
      for (EmbeddedWrite.Outcome o : rows) {
        b.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %,d | %,d |%n",
            EmbeddedWrite.label(o.system(), o.mode()), o.perSecond(), tito / o.perSecond(),
            o.records(), o.events()));
      }
    }
    return b.toString();
  }

  /** Scenario 4: one row per record count and query, Tito's figures beside SQLite's. */
  static String queryTable(List<IndexQueries.Outcome> outcomes, int warmup) {
    StringBuilder b = new StringBuilder();
    IndexQueries.Outcome first = outcomes.get(0);
    b.append(String.format(Locale.ROOT,
        "%n### Scenario 4, index queries (one thread; %,d timed operations after %,d warm-up per"
            + " row; latency p50 / p99 in µs)%n%n",
        first.operations(), warmup));
    b.append("| Records | Query | Tito ops/s | SQLite ops/s | Tito ÷ SQLite | Tito p50 / p99 |"
        + " SQLite p50 / p99 | CPU µs/op Tito / SQLite |\n|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (IndexQueries.Outcome o : outcomes) {
      if (!o.system().equals(IndexQueries.SYSTEMS.get(0))) {
        continue;
      }
      for (IndexQueries.Outcome peer : outcomes) {
        if (peer.system().equals(o.system()) || peer.records() != o.records()
            || !peer.query().equals(o.query())) {
          continue;
        }
        b.append(String.format(Locale.ROOT,
            "| %,d | %s | %,.0f | %,.0f | %.2f | %d / %d | %d / %d | %.1f / %.1f |%n",
            o.records(), o.query(), o.perSecond(), peer.perSecond(),
            o.perSecond() / peer.perSecond(), o.latencies().microsAt(50),
            o.latencies().microsAt(99), peer.latencies().microsAt(50),
            peer.latencies().microsAt(99), o.cpuMicros(), peer.cpuMicros()));
      }
    }
    b.append(String.format(Locale.ROOT, "%nLoading (%,d records per transaction):%n%n",
        QuerySystems.LOAD_BATCH));
    b.append("| System | Records loaded | Seconds |\n|---|---:|---:|\n");
    for (IndexQueries.Outcome o : outcomes) {
      if (o.query().equals(IndexQueries.QUERIES.get(0))) {
        b.append(String.format(Locale.ROOT, "| %s | up to %,d | %.1f |%n",
            IndexQueries.label(o.system()), o.records(), o.loadSeconds()));
      }
    }
    return b.toString();
  }

  /**
   * Scenario 2: events/s of each system, the events/s of the per-event-handler Tito rows (on
   * RocksDB and on PostgreSQL; the latter is the like-for-like reference for the PostgreSQL peers)
   * divided by it, commit-to-handler latency, and the work done.
   */
  static String outboxTable(List<OutboxEndToEnd.Outcome> outcomes) {
    double rocks = perSecond(outcomes, OutboxEndToEnd.ROCKSDB_REFERENCE);
    double pg = perSecond(outcomes, OutboxEndToEnd.POSTGRESQL_REFERENCE);
    OutboxEndToEnd.Outcome first = outcomes.get(0);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "%n### Scenario 2, outbox end to end (one event per transaction, one consumer group)%n%n"
            + "Events/s: %d producer threads publish the Events column as fast as they can, from"
            + " first publish to last event handled. Latency: commit returned to handler called,"
            + " %,d events paced one per %.0f ms after %,d warm-up; a handler called before the"
            + " producer's commit call returned counts as 0 (column Early). Tito ÷ system"
            + " divides the events/s of Tito with a per-event handler on RocksDB, or on PostgreSQL"
            + " (the reference for the PostgreSQL peers), by the row's; above 1 Tito is faster."
            + " Handled: distinct events handled of all published (both phases).%n%n",
        OutboxEndToEnd.PRODUCERS, first.latencyEvents(), OutboxEndToEnd.PACE_MICROS / 1000.0,
        first.warmup()));
    b.append("| System | Events | Events/s | Tito RocksDB ÷ system | Tito PostgreSQL ÷ system"
        + " | p50 ms | p99 ms | max ms | Early | Handled / published | Duplicates |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (OutboxEndToEnd.Outcome o : outcomes) {
      Latencies l = o.latencies();
      b.append(String.format(Locale.ROOT,
          "| %s | %,d | %,.0f | %s | %s | %s | %s | %s | %,d | %,d / %,d | %,d |%n",
          OutboxEndToEnd.label(o.system()), o.throughputEvents(), o.perSecond(),
          ratio(rocks, o.perSecond()), ratio(pg, o.perSecond()), Latencies.millis(l.millisAt(50)),
          Latencies.millis(l.millisAt(99)), Latencies.millis(l.maxMillis()), o.early(), o.handled(),
          o.published(), o.duplicates()));
    }
    return b.toString();
  }

  private static double perSecond(List<OutboxEndToEnd.Outcome> outcomes, String system) {
    return outcomes.stream().filter(o -> o.system().equals(system)).findFirst()
        .map(OutboxEndToEnd.Outcome::perSecond).orElse(Double.NaN);
  }

  private static String ratio(double tito, double system) {
    return Double.isNaN(tito) ? "—" : String.format(Locale.ROOT, "%.2f", tito / system);
  }

  /** Scenario 5, with the durable systems' commit rates as a fraction of fsync'd appends. */
  static String floorTable(MachineFloor.Outcome floor, List<EmbeddedWrite.Outcome> writes) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%n### Scenario 5, machine floor%n%n"));
    b.append("| Measured | Figure |\n|---|---:|\n");
    b.append(String.format(Locale.ROOT,
        "| fsync'd 100-byte appends (write + force(false)), %,d of them | %,.0f /s |%n",
        floor.appends(), floor.appendsPerSecond()));
    b.append(String.format(Locale.ROOT,
        "| sequential write, %d MiB in 1 MiB chunks + force | %,.0f MiB/s |%n",
        floor.mebibytes(), floor.mebibytesPerSecond()));
    b.append(String.format(Locale.ROOT,
        "%n| Durable system | Transactions/s ÷ fsync'd appends/s |%n|---|---:|%n"));
    for (EmbeddedWrite.Outcome o : writes) {
      if (o.mode().equals("durable")) {
        b.append(String.format(Locale.ROOT, "| %s | %.2f |%n",
            EmbeddedWrite.label(o.system(), o.mode()), o.perSecond() / floor.appendsPerSecond()));
      }
    }
    return b.toString();
  }

  /** Scenario 3; the ratio is Tito on PostgreSQL's (the first row's) p99 over each row's. */
  static String scheduledTable(List<ScheduledDelivery.Outcome> rows) {
    StringBuilder b = new StringBuilder();
    ScheduledDelivery.Outcome first = rows.get(0);
    b.append(String.format(Locale.ROOT,
        "%n### Scenario 3, scheduled delivery (%,d events due evenly across %.0f s, scheduled"
            + " beforehand in due order, %d per transaction; lateness = handler start - due time;"
            + " Tito ÷ system = %s's p99 lateness over the system's, below 1: Tito less late)%n%n",
        first.events(), first.windowSeconds(), ScheduledDelivery.BATCH,
        ScheduledDelivery.label(first.system())));
    b.append("| System | Scheduled/s | p50 late ms | p99 late ms | max late ms"
        + " | Tito ÷ system (p99 lateness) | Last handled, s after window start | Handled"
        + " | Duplicates | Early | Lead s |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    double tito = first.lateness().millisAt(99);
    for (ScheduledDelivery.Outcome o : rows) {
      double p99 = o.lateness().millisAt(99);
      b.append(String.format(Locale.ROOT,
          "| %s | %,.0f | %s | %s | %s | %s | %.2f | %,d | %,d | %,d | %.1f |%n",
          ScheduledDelivery.label(o.system()), o.scheduledPerSecond(),
          Latencies.millis(o.lateness().millisAt(50)), Latencies.millis(p99),
          Latencies.millis(o.lateness().maxMillis()),
          p99 > 0 ? String.format(Locale.ROOT, "%.2f", tito / p99) : "n/a", o.lastSeconds(),
          o.handled(), o.duplicates(), o.early(), o.leadSeconds()));
    }
    return b.toString();
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
