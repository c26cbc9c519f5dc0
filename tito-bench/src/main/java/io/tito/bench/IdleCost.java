package io.tito.bench;

import io.tito.Tito;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an idle pub/sub setup costs: {@code topics} topics of {@code partitions} partitions, each
 * consumed by {@code groups} groups (one worker each), nothing published. After every partition
 * is owned and a warm-up, it idles {@code seconds} seconds and reports the engine transactions
 * begun per second (read-only and read-write) and this process's CPU time as a percentage of one
 * core (the JVM's process CPU time, so on PostgreSQL the server's own CPU is not included), with
 * the threads that used most of it (virtual threads count in their carrier threads).
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.IdleCost [key=value ...]}; settings and
 * defaults: {@code stores=rocksdb,postgresql}, {@code topics=3}, {@code partitions=64}, {@code
 * groups=2}, {@code warmup=5}, {@code seconds=30}. PostgreSQL is the local server (database
 * {@code test}); each run uses a fresh table and drops it after.
 */
public final class IdleCost {

  private IdleCost() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = BenchArgs.parse(args);
    int topics = Integer.parseInt(settings.getOrDefault("topics", "3"));
    int partitions = Integer.parseInt(settings.getOrDefault("partitions", "64"));
    int groups = Integer.parseInt(settings.getOrDefault("groups", "2"));
    int warmup = Integer.parseInt(settings.getOrDefault("warmup", "5"));
    int seconds = Integer.parseInt(settings.getOrDefault("seconds", "30"));
    for (String store : settings.getOrDefault("stores", "rocksdb,postgresql").split(",")) {
      run(store, topics, partitions, groups, warmup, seconds);
    }
    System.exit(0);
  }

  private static void run(String store, int topics, int partitions, int groups, int warmup,
      int seconds) throws Exception {
    Path dir = null;
    String table = null;
    Engine raw;
    if (store.equals("postgresql")) {
      table = BenchServers.freshTable("tito_idle_");
      raw = JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(BenchServers.url(store))
          .user(BenchServers.user(store)).table(table).build());
    } else if (store.equals("rocksdb")) {
      dir = BenchStores.tempDir();
      raw = Tito.builder().engine("rocksdb", Map.of("path", dir.toString())).build().engine();
    } else {
      throw new IllegalArgumentException("unknown store " + store);
    }
    Counting engine = new Counting(raw);
    Tito tito = Tito.open(engine);
    List<Subscription> subs = new ArrayList<>();
    try {
      Topics t = tito.topics();
      for (int i = 0; i < topics; i++) {
        t.createTopic("idle" + i, new TopicConfig(partitions, TopicConfig.DEFAULTS.retention()));
        for (int g = 0; g < groups; g++) {
          subs.add(t.subscribe("idle" + i, "g" + g, e -> { }, SubscribeOptions.DEFAULTS));
        }
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (subs.stream().anyMatch(s -> s.ownedPartitions().size() < partitions)) {
        if (System.nanoTime() > until) {
          throw new IllegalStateException("partitions not all owned after 60 s");
        }
        Thread.sleep(50);
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
      com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean();
      Map<String, Long> threads0 = threadCpu();
      long reads0 = engine.reads.sum();
      long writes0 = engine.writes.sum();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      long wall = System.nanoTime() - wall0;
      long cpu = os.getProcessCpuTime() - cpu0;
      double secs = wall / 1e9;
      System.out.printf(Locale.ROOT,
          "%s: %d topics x %d partitions x %d groups, idle %.0f s: %.1f read tx/s, %.1f read-write"
              + " tx/s, process CPU %.2f%% of one core%n",
          store, topics, partitions, groups, secs, (engine.reads.sum() - reads0) / secs,
          (engine.writes.sum() - writes0) / secs, 100.0 * cpu / wall);
      Map<String, Long> threads = threadCpu();
      threads.replaceAll((name, cpuNanos) -> cpuNanos - threads0.getOrDefault(name, 0L));
      threads.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(6).forEach(e -> System.out.printf(Locale.ROOT, "  threads %s: %.2f%% of one core%n",
              e.getKey(), 100.0 * e.getValue() / wall));
    } finally {
      for (Subscription s : subs) {
        s.close();
      }
      tito.close();
      if (table != null) {
        BenchServers.dropTables(store, table);
      }
      BenchStores.delete(dir);
    }
  }

  /** CPU time of the live platform threads (virtual threads count in their carriers), by name. */
  private static Map<String, Long> threadCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new HashMap<>();
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null) {
        long t = mx.getThreadCpuTime(info.getThreadId());
        if (t > 0) {
          out.merge(info.getThreadName().replaceAll("[0-9]+", "N"), t, Long::sum);
        }
      }
    }
    return out;
  }

  /** Counts the transactions begun. */
  private static final class Counting extends ForwardingEngine {
    final LongAdder reads = new LongAdder();
    final LongAdder writes = new LongAdder();

    Counting(Engine delegate) {
      super(delegate);
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      (readOnly ? reads : writes).increment();
      return super.begin(readOnly);
    }
  }
}
