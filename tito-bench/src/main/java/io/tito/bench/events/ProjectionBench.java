package io.tito.bench.events;

import io.tito.Tito;
import io.tito.Transaction;
import io.tito.events.AppendRequest;
import io.tito.events.EventData;
import io.tito.events.EventFilter;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.events.Projection;
import io.tito.events.RecordedEvent;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.pubsub.SubscribeOptions;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Projection throughput end to end (issue 12): a store is filled with {@code events} deposits
 * (appends of 10 events by 4 writers over 1,000 account streams), then a projection folds {@code
 * $all} into a read model of balances, one row per account read and written in the transaction
 * that also moves the projection's checkpoint ({@link io.tito.events.Projections#runUntilIdle},
 * {@code fetchSize} events per transaction), from the first event to the last. Reports events per
 * second of the projection and checks that the read model's balances add up to the amounts
 * appended (a mismatch fails the run). Systems: Tito on RocksDB ({@code group} durability) and on
 * PostgreSQL (127.0.0.1:5432, database {@code test}, a fresh schema dropped afterwards), and the
 * peer, Axon 4.13's tracking event processor on its JDBC storage engine on the same PostgreSQL
 * ({@code axon}, {@link AxonProjection}; {@code --pg-events} events like Tito on PostgreSQL).
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.events.ProjectionBench [--quick]
 * [--events=N] [--pg-events=N] [--fetch=N,...] [--only=rocksdb-group,tito-pg,axon]}.
 */
public final class ProjectionBench {

  private static final int WRITERS = 4;
  private static final int ACCOUNTS = 1_000;
  private static final int PER_APPEND = 10;

  /** One measured projection run. */
  record Outcome(String system, int fetchSize, long events, double seconds, double cpuSeconds, String load) {
    double perSecond() {
      return events / seconds;
    }
  }

  private ProjectionBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int events = 200_000;
    int pgEvents = 20_000;
    List<Integer> fetches = List.of(100, 500);
    List<String> systems = List.of("rocksdb-group", "tito-pg", "axon");
    for (String a : args) {
      if (a.equals("--quick")) {
        events = 5_000;
        pgEvents = 1_000;
      } else if (a.startsWith("--events=")) {
        events = Integer.parseInt(a.substring(9));
      } else if (a.startsWith("--pg-events=")) {
        pgEvents = Integer.parseInt(a.substring(12));
      } else if (a.startsWith("--fetch=")) {
        fetches = java.util.Arrays.stream(a.substring(8).split(",")).map(Integer::parseInt).toList();
      } else if (a.startsWith("--only=")) {
        systems = List.of(a.substring(7).split(","));
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "Date %s; %d cores; JDK %s; load average %s%n",
        Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), EventWorkload.loadAverage());
    Path dir = Files.createTempDirectory(Paths.get(System.getProperty("java.io.tmpdir")), "tito-proj-bench");
    List<Outcome> outcomes = new ArrayList<>();
    try {
      for (String key : systems) {
        for (int fetch : fetches) {
          outcomes.add(run(key, dir, key.startsWith("rocksdb") ? events : pgEvents, fetch));
        }
      }
    } finally {
      EventBench.delete(dir);
    }
    out.println(table(outcomes));
  }

  /** Fills a fresh store of {@code key} with {@code events} and measures one projection run over them. */
  static Outcome run(String key, Path dir, int events, int fetchSize) throws Exception {
    if (key.equals("axon")) {
      return runAxon(events, fetchSize);
    }
    String schema = key.equals("tito-pg") ? EventBench.createSchema() : null;
    try (Tito tito = open(key, dir, schema)) {
      EventStore store = tito.module(EventStore.class);
      long expected = fill((stream, version, count, first) -> {
        List<EventData> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          batch.add(EventData.of("Deposited", new Deposited(first + i)));
        }
        store.append(AppendRequest.of(stream, ExpectedVersion.exact(version), batch));
      }, events);
      Balances balances = new Balances(tito);
      SubscribeOptions options = SubscribeOptions.builder().fetchSize(fetchSize).build();
      String load = EventWorkload.loadAverage();
      long cpu0 = cpuNanos();
      long t0 = System.nanoTime();
      store.projections().runUntilIdle(balances, options, Duration.ofMinutes(30));
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = (cpuNanos() - cpu0) / 1e9;
      long total = balances.total(tito);
      if (total != expected) {
        throw new IllegalStateException("read model sum " + total + " != appended " + expected);
      }
      String label = key.equals("tito-pg") ? "Tito on PostgreSQL" : "Tito on RocksDB (group)";
      System.err.println("done: " + label + " fetch " + fetchSize);
      return new Outcome(label, fetchSize, events, seconds, cpu, load + " → " + EventWorkload.loadAverage());
    } finally {
      if (schema != null) {
        EventBench.dropSchema(schema);
      }
    }
  }

  private static Tito open(String key, Path dir, String schema) throws Exception {
    return switch (key) {
      case "rocksdb-group" -> Tito.builder()
          .engine("rocksdb", Map.of("path", Files.createTempDirectory(dir, key).toString(), "durability", "group"))
          .with(EventStore.builder()).build();
      case "tito-pg" -> Tito.builder().engine(JdbcEngine.open(JdbcEngineOptions.builder()
              .jdbcUrl(EventBench.PG_URL).user(EventBench.PG_USER).schema(schema).poolSize(EventBench.PG_POOL).build()))
          .with(EventStore.builder()).build();
      default -> throw new IllegalArgumentException("unknown system " + key);
    };
  }

  /** One append of {@code count} deposits of amounts {@code first, first + 1, ...} after {@code version}. */
  interface Appends {
    void append(String stream, long version, int count, long first) throws Exception;
  }

  /**
   * Appends {@code events} deposits (amount = its number) by {@value #WRITERS} writers, each on its
   * own accounts, and returns the sum of the amounts.
   */
  static long fill(Appends target, int events) throws Exception {
    int appends = events / PER_APPEND;
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<Long>> parts = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        parts.add(pool.submit(() -> {
          long sum = 0;
          Map<String, Long> versions = new java.util.HashMap<>();
          for (int a = writer; a < appends; a += WRITERS) {
            long first = (long) a * PER_APPEND + 1;
            sum += PER_APPEND * first + PER_APPEND * (PER_APPEND - 1) / 2;
            // Accounts are split among the writers (a % ACCOUNTS keeps a's writer), so appends never race.
            String stream = "account-" + (a % ACCOUNTS);
            long version = versions.getOrDefault(stream, 0L);
            target.append(stream, version, PER_APPEND, first);
            versions.put(stream, version + PER_APPEND);
          }
          return sum;
        }));
      }
      long sum = 0;
      for (Future<Long> f : parts) {
        sum += f.get();
      }
      return sum;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The Axon peer: its tracking processor over its JDBC storage engine (see {@link AxonProjection}). */
  static Outcome runAxon(int events, int batchSize) throws Exception {
    String schema = EventBench.createSchema();
    try (AxonEvents axon = new AxonEvents(EventBench.PG_URL, EventBench.PG_USER, schema, EventBench.PG_POOL, 500)) {
      long sum = fill(axon::append, events);
      String load = EventWorkload.loadAverage();
      long cpu0 = cpuNanos();
      double seconds = AxonProjection.run(axon, events, sum, batchSize);
      double cpu = (cpuNanos() - cpu0) / 1e9;
      System.err.println("done: Axon fetch " + batchSize);
      return new Outcome("Axon 4.13 tracking processor (PostgreSQL)", batchSize, events, seconds, cpu,
          load + " → " + EventWorkload.loadAverage());
    } finally {
      EventBench.dropSchema(schema);
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The read model: ("pb", stream) -> (balance), read and written per event. */
  static final class Balances implements Projection {
    private final Subspace model;

    Balances(Tito tito) {
      this.model = tito.root().subspace("pb");
    }

    @Override
    public String name() {
      return "balances";
    }

    @Override
    public EventFilter filter() {
      return EventFilter.streamPrefix("account-");
    }

    @Override
    public void apply(Transaction tx, RecordedEvent e) {
      byte[] key = model.pack(e.streamId());
      byte[] v = tx.get(key);
      long balance = v == null ? 0 : Tuple.unpack(v).getLong(0);
      tx.set(key, Tuple.of(balance + e.payloadAs(Deposited.class).amount()).pack());
    }

    @Override
    public void clear(Transaction tx) {
      tx.clearRange(model.range());
    }

    long total(Tito tito) {
      return tito.read(tx -> {
        long sum = 0;
        try (var c = tx.scan(model.range())) {
          while (c.hasNext()) {
            sum += Tuple.unpack(c.next().value()).getLong(0);
          }
        }
        return sum;
      });
    }
  }

  static String table(List<Outcome> outcomes) {
    StringBuilder b = new StringBuilder("\n| System | fetch size (events/transaction) | events | seconds"
        + " | events/s | CPU µs/event | load average |\n|---|---:|---:|---:|---:|---:|---|\n");
    for (Outcome o : outcomes) {
      b.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.2f | %,.0f | %.1f | %s |%n", o.system(),
          o.fetchSize(), o.events(), o.seconds(), o.perSecond(), o.cpuSeconds() * 1e6 / o.events(), o.load()));
    }
    return b.toString();
  }
}
