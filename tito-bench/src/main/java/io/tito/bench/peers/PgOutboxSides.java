package io.tito.bench.peers;

import io.tito.Tito;
import io.tito.bench.CountingSocketFactory;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 16, where the PostgreSQL outbox's time goes: the two sides of {@link OutboxEndToEnd}'s
 * Tito per-event (or batch) system apart. Phase 1, producers alone: {@value #PRODUCERS} threads
 * publish {@code events} events, one per transaction, with no subscription. Phase 2, consumer
 * alone: a subscription drains the pre-filled topic. Phase 3, end to end: the producers again,
 * on a fresh topic whose subscription runs meanwhile. Per phase: events/s, client round trips per
 * event ({@link CountingSocketFactory}), client CPU per event, the CPU of this process's own
 * PostgreSQL backends per event ({@code /proc/<pid>/stat} of the backends whose {@code
 * application_name} is this run's), and what those backends were doing, sampled from {@code
 * pg_stat_activity} every {@value #SAMPLE_MILLIS} ms (state and wait event).
 *
 * <p>Usage: {@code bin/run-bench io.tito.bench.peers.PgOutboxSides [events=3000] [batch=false]
 * [producers=4] [partitions=8] [warmup=300] [notify=true] [pgoptions=-c name=value]} ({@code
 * notify=false}: the engine's notifications off, to see their cost; {@code partitions}: the
 * topics' partitions, more of them making two producers' publishes to one partition, which queue
 * on its counter, rarer).
 */
public final class PgOutboxSides {

  static final int PRODUCERS = 4;
  /** Between two samples of the backends' wait states. */
  static final int SAMPLE_MILLIS = 5;
  private static int producers = PRODUCERS;

  private PgOutboxSides() {}

  public static void main(String[] args) throws Exception {
    int events = 3_000;
    boolean batch = false;
    int warmup = 300;
    boolean notify = true;
    String pgOptions = null;
    int partitions = TopicConfig.DEFAULT_PARTITIONS;
    for (String a : args) {
      if (a.startsWith("events=")) {
        events = Integer.parseInt(a.substring(7));
      } else if (a.startsWith("producers=")) {
        producers = Integer.parseInt(a.substring(10));
      } else if (a.startsWith("warmup=")) {
        warmup = Integer.parseInt(a.substring(7));
      } else if (a.startsWith("pgoptions=")) {
        pgOptions = a.substring(10);
      } else if (a.startsWith("notify=")) {
        notify = Boolean.parseBoolean(a.substring(7));
      } else if (a.startsWith("partitions=")) {
        partitions = Integer.parseInt(a.substring(11));
      } else if (a.startsWith("batch=")) {
        batch = Boolean.parseBoolean(a.substring(6));
      } else {
        throw new IllegalArgumentException("usage: PgOutboxSides [events=N] [batch=true|false] [producers=N] [partitions=N] [warmup=N] [notify=true|false] [pgoptions=-c name=value]");
      }
    }
    String app = "pgsides" + ProcessHandle.current().pid();
    try (PgSchema schema = PgSchema.create("bench_sides_")) {
      JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder()
          .jdbcUrl(PgSchema.SERVER_URL + "?ApplicationName=" + app + "&socketFactory="
              + CountingSocketFactory.class.getName()
              + (pgOptions == null ? "" : "&options=" + java.net.URLEncoder.encode(pgOptions,
                  java.nio.charset.StandardCharsets.UTF_8)))
          .user(PgSchema.USER)
          .schema(schema.name())
          .poolSize(OutboxSystems.PG_POOL)
          .notifications(notify)
          .build());
      try (Tito tito = Tito.open(engine)) {
        Topics topics = tito.topics();
        TopicConfig config = new TopicConfig(partitions, TopicConfig.DEFAULTS.retention());
        topics.createTopic("sides", config);
        // Warm-up: the same shape, a few hundred events, drained by a throw-away group.
        publish(tito, topics, 0, warmup);
        int total = events;
        Phase producers = Phase.start(app, "producers alone (" + PgOutboxSides.producers + ")");
        publish(tito, topics, warmup, total);
        producers.end(total);
        AtomicInteger handled = new AtomicInteger();
        Phase consumer = Phase.start(app, "consumer alone (" + (batch ? "batch" : "per-event") + ")");
        int expected = total + warmup;
        Subscription s = batch
            ? topics.subscribeBatches("sides", "g", (List<Event> es) -> handled.addAndGet(es.size()),
                SubscribeOptions.DEFAULTS)
            : topics.subscribe("sides", "g", (Event e) -> handled.incrementAndGet(),
                SubscribeOptions.DEFAULTS);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (handled.get() < expected && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        consumer.end(handled.get());
        s.close(Duration.ofSeconds(30));
        // Phase 3, end to end: a subscription on a fresh topic, then the producers.
        topics.createTopic("e2e", config);
        AtomicInteger seen = new AtomicInteger();
        Subscription e2e = batch
            ? topics.subscribeBatches("e2e", "g", (List<Event> es) -> seen.addAndGet(es.size()),
                SubscribeOptions.DEFAULTS)
            : topics.subscribe("e2e", "g", (Event e) -> seen.incrementAndGet(), SubscribeOptions.DEFAULTS);
        long leases = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (e2e.ownedPartitions().size() < partitions && System.nanoTime() < leases) {
          Thread.sleep(5);
        }
        Phase both = Phase.start(app, "end to end (" + (batch ? "batch" : "per-event") + ")");
        publish(tito, topics, "e2e", 0, total);
        deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (seen.get() < total && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        both.end(seen.get());
        e2e.close(Duration.ofSeconds(30));
      }
    }
  }

  private static void publish(Tito tito, Topics topics, int from, int count) throws Exception {
    publish(tito, topics, "sides", from, count);
  }

  private static void publish(Tito tito, Topics topics, String topic, int from, int count)
      throws Exception {
    AtomicInteger next = new AtomicInteger(from);
    int end = from + count;
    try (ExecutorService pool = Executors.newFixedThreadPool(producers)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        fs.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < end; i = next.getAndIncrement()) {
            Message m = Message.of("k" + i, ("event " + i).getBytes());
            tito.inTransaction(tx -> topics.publish(tx, topic, m));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
  }

  /** One measured phase: wall time, round trips, client and own-backend CPU, wait samples. */
  private static final class Phase {
    final String name;
    final String app;
    final long start = System.nanoTime();
    final long flushes = CountingSocketFactory.FLUSHES.get();
    final long cpu = processCpu();
    final Map<Integer, Long> backendCpuBefore;
    final Map<String, Integer> waits = new ConcurrentHashMap<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final Thread sampler;
    final String load = load();
    final AtomicInteger samples = new AtomicInteger();

    private Phase(String app, String name) throws Exception {
      this.app = app;
      this.name = name;
      this.backendCpuBefore = backendCpu(app);
      this.sampler = Thread.ofPlatform().daemon().start(this::sample);
    }

    static Phase start(String app, String name) throws Exception {
      return new Phase(app, name);
    }

    private void sample() {
      // One prepared statement, planned once: a query re-planned at every sample cost the server
      // a visible share of its two cores, which the phases' figures then lacked.
      try (Connection c = DriverManager.getConnection(PgSchema.SERVER_URL + "?prepareThreshold=1",
              PgSchema.USER, null);
          PreparedStatement st = c.prepareStatement("SELECT state, wait_event_type, wait_event"
              + " FROM pg_stat_activity WHERE application_name = ?")) {
        st.setString(1, app);
        while (!stop.get()) {
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              String k = rs.getString(1) + "/" + rs.getString(2) + ":" + rs.getString(3);
              waits.merge(k, 1, Integer::sum);
            }
          }
          samples.incrementAndGet();
          Thread.sleep(SAMPLE_MILLIS);
        }
      } catch (Exception e) {
        System.err.println("sampler: " + e);
      }
    }

    void end(int events) throws Exception {
      double secs = (System.nanoTime() - start) / 1e9;
      long trips = CountingSocketFactory.FLUSHES.get() - flushes;
      long cpuNanos = processCpu() - cpu;
      Map<Integer, Long> after = backendCpu(app);
      long ticks = 0;
      for (Map.Entry<Integer, Long> e : after.entrySet()) {
        ticks += e.getValue() - backendCpuBefore.getOrDefault(e.getKey(), 0L);
      }
      stop.set(true);
      sampler.join();
      System.out.printf("%-32s %7.0f events/s  %5.2f round trips/event  client CPU %6.0f us/event"
              + "  own backends CPU %6.0f us/event  load %s -> %s%n", name, events / secs,
          trips / (double) events, cpuNanos / 1e3 / events, ticks * 10_000.0 / events, load, load());
      int n = Math.max(1, samples.get());
      TreeMap<String, Integer> sorted = new TreeMap<>(waits);
      StringBuilder sb = new StringBuilder("    backends per sample: ");
      sorted.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(8)
          .forEach(e -> sb.append(String.format("%s %.2f  ", e.getKey(), e.getValue() / (double) n)));
      System.out.println(sb);
    }
  }

  static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  /** utime + stime ticks of the backends serving {@code app}, by pid. */
  static Map<Integer, Long> backendCpu(String app) throws Exception {
    Map<Integer, Long> out = new java.util.HashMap<>();
    try (Connection c = DriverManager.getConnection(PgSchema.SERVER_URL, PgSchema.USER, null);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = '"
            + app + "'")) {
      while (rs.next()) {
        int pid = rs.getInt(1);
        try {
          String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (Exception e) {
          // gone
        }
      }
    }
    return out;
  }
}
