package io.tito.bench.events;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The event-store benchmark of issue 12, side by side in one run: Tito's event store on embedded
 * RocksDB (durability {@code group}, the default, and {@code none}) and on PostgreSQL, against
 * Axon Framework 4.13's JDBC event storage engine and a plain JDBC event table with Rillflow's
 * schema on the same PostgreSQL (127.0.0.1:5432, database {@code test}; each PostgreSQL system in
 * a fresh schema, dropped afterwards). Every system runs {@link EventWorkload}; the output is
 * Markdown tables, ready for BENCHMARKS.md.
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.events.EventBench [--quick] [--dir=PATH]
 * [--steady] [--warmup=N] [--only=LABEL-PREFIX,...]}: {@code --quick} is a smoke-sized run,
 * {@code --warmup} the untimed appends per writer before each append phase (default 200: too few
 * for the JIT compiler to finish with a system's code on a 2-core machine), {@code --steady}
 * settles each store before its first phase ({@link io.tito.bench.SteadyStore}: on RocksDB the
 * appends then go to a reused, fully written log, as in a long-running store), {@code --dir} the parent of the
 * RocksDB scratch directory, {@code --only} keeps the systems whose keys (rocksdb-group,
 * rocksdb-none, tito-pg, plain, axon; also, not in the default list, tito-pg-notify-every: Tito
 * on PostgreSQL with a {@code NOTIFY} in every append commit, and tito-maria / tito-maria-read:
 * Tito on MariaDB (127.0.0.1:3306, database {@code test}, fresh tables dropped afterwards) with
 * remembered stream headers, and without them, so every append reads its header first) are listed.
 */
public final class EventBench {

  static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String PG_USER = "postgres";
  /** Connections per PostgreSQL system: one per writer and a spare. */
  static final int PG_POOL = 5;

  /** The systems, in table order. */
  static final List<String> SYSTEMS =
      List.of("rocksdb-group", "rocksdb-none", "tito-pg", "plain", "axon");

  private EventBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    boolean quick = false;
    List<String> systems = SYSTEMS;
    Path parent = Paths.get(System.getProperty("java.io.tmpdir"));
    int warmup = -1;
    for (String a : args) {
      if (a.startsWith("--warmup=")) {
        warmup = Integer.parseInt(a.substring("--warmup=".length()));
      } else if (a.equals("--quick")) {
        quick = true;
      } else if (a.startsWith("--dir=")) {
        parent = Paths.get(a.substring("--dir=".length()));
      } else if (a.equals("--steady")) {
        System.setProperty(EventWorkload.STEADY_PROPERTY, "true");
      } else if (a.startsWith("--only=")) {
        systems = List.of(a.substring("--only=".length()).split(","));
      } else {
        throw new IllegalArgumentException(
            "usage: EventBench [--quick] [--steady] [--warmup=N] [--dir=PATH] [--only=KEY,...], got " + a);
      }
    }
    EventWorkload.Sizes sizes = quick ? EventWorkload.Sizes.QUICK : EventWorkload.Sizes.FULL;
    if (warmup >= 0) {
      sizes = sizes.withWarmupAppends(warmup);
    }
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "Date %s; %d cores; JDK %s; %s %s; mode %s; load average %s%n",
        Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getProperty("os.name"),
        System.getProperty("os.version"), quick ? "--quick" : "full",
        EventWorkload.loadAverage());
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, "tito-events-bench");
    try {
      List<EventWorkload.Outcome> outcomes = run(dir, systems, sizes);
      out.println(tables(outcomes, sizes));
    } finally {
      delete(dir);
    }
  }

  /** Runs the workload on each named system in turn, printing progress to stderr. */
  static List<EventWorkload.Outcome> run(Path dir, List<String> systems,
      EventWorkload.Sizes sizes) throws Exception {
    List<EventWorkload.Outcome> outcomes = new ArrayList<>();
    for (String key : systems) {
      String schema = null;
      if (!key.startsWith("rocksdb")) {
        schema = createSchema();
      }
      try (EventSystem s = open(key, dir, schema)) {
        EventWorkload.Outcome o = EventWorkload.run(s, sizes);
        System.err.println("done: " + o.system());
        outcomes.add(o);
      } finally {
        if (schema != null) {
          dropSchema(schema);
        }
      }
    }
    return outcomes;
  }

  static EventSystem open(String key, Path dir, String schema) throws Exception {
    return switch (key) {
      case "rocksdb-group" -> TitoEvents.rocksdb(Files.createDirectories(dir.resolve(key)), "group");
      case "rocksdb-none" -> TitoEvents.rocksdb(Files.createDirectories(dir.resolve(key)), "none");
      case "tito-pg" -> TitoEvents.postgresql(PG_URL, PG_USER, schema, PG_POOL);
      case "tito-pg-notify-every" ->
          TitoEvents.postgresql(PG_URL, PG_USER, schema, PG_POOL, java.time.Duration.ZERO);
      case "tito-maria" -> TitoEvents.mariadb(PG_POOL, true);
      case "tito-maria-read" -> TitoEvents.mariadb(PG_POOL, false);
      case "plain" -> new PlainTableEvents(PG_URL, PG_USER, schema, PG_POOL);
      case "axon" -> new AxonEvents(PG_URL, PG_USER, schema, PG_POOL, 500);
      default -> throw new IllegalArgumentException("unknown system " + key + "; known: " + SYSTEMS);
    };
  }

  /** The result tables in Markdown. */
  static String tables(List<EventWorkload.Outcome> outcomes, EventWorkload.Sizes sizes) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "%n#### Appends (%d writers on distinct streams, a new stream every 100 appends, %.0f s"
            + " per row after %d warm-up appends per writer)%n%n",
        sizes.writers(), sizes.appendSeconds(), sizes.warmupAppends()));
    b.append("| System | 1 event: appends/s | 10 events: appends/s | 10 events: events/s"
        + " | CPU µs/event (1 / 10) | load average |\n|---|---:|---:|---:|---:|---|\n");
    for (EventWorkload.Outcome o : outcomes) {
      b.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %.1f / %.1f | %s |%n",
          o.system(), o.one().appendsPerSecond(), o.ten().appendsPerSecond(),
          o.ten().eventsPerSecond(), o.one().cpuMicrosPerEvent(), o.ten().cpuMicrosPerEvent(),
          o.loadAverage()));
    }
    b.append("\nCPU µs/event: this JVM's CPU time (all threads, RocksDB's included) during the"
        + " phase divided by the events appended; for the PostgreSQL systems the client side only.\n");
    b.append(String.format(Locale.ROOT,
        "%n#### Loading an aggregate of 1,000 events (%d loads from events, %d from a snapshot"
            + " at version 1,000; ms)%n%n", sizes.loadsFromEvents(), sizes.loadsWithSnapshot()));
    b.append("| System | from events p50 / p99 / mean | from snapshot p50 / p99 / mean |\n"
        + "|---|---:|---:|\n");
    for (EventWorkload.Outcome o : outcomes) {
      b.append(String.format(Locale.ROOT, "| %s | %.2f / %.2f / %.2f | %.3f / %.3f / %.3f |%n",
          o.system(), o.fromEvents().p50Ms(), o.fromEvents().p99Ms(), o.fromEvents().meanMs(),
          o.withSnapshot().p50Ms(), o.withSnapshot().p99Ms(), o.withSnapshot().meanMs()));
    }
    b.append(String.format(Locale.ROOT,
        "%n#### Catch-up read of the global log from the start (pages of %d, payloads decoded)"
            + "%n%n", sizes.page()));
    b.append("| System | events | events/s |\n|---|---:|---:|\n");
    for (EventWorkload.Outcome o : outcomes) {
      b.append(String.format(Locale.ROOT, "| %s | %,d | %,.0f |%n", o.system(), o.readEvents(),
          o.readPerSecond()));
    }
    return b.toString();
  }

  static String createSchema() throws SQLException {
    String name = "evb_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + name);
    }
    return name;
  }

  static void dropSchema(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
