package io.tito.bench;

import io.tito.Tito;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Plain-main benchmark of the pub/sub path (JMH does not fit end-to-end measurements with
 * background workers): publish throughput, end-to-end throughput with one and three consumer
 * groups, and commit-to-handler latency on an idle system.
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.PubSubHarness [key=value ...]}; settings and
 * defaults: {@code store=rocksdb-none} (see {@link BenchStores#open}), {@code partitions=8},
 * {@code payload=100} (bytes), {@code seconds=5} (per publish measurement), {@code
 * publishers=1,4} (threads per publish measurement), {@code events=200000} (per end-to-end run),
 * {@code handler=batch} ({@code batch}: {@link io.tito.pubsub.BatchEventHandler}, or {@code
 * single}: one checkpoint commit per event), {@code latency=5000} (measured events, after 500
 * warm-up events), {@code pause=1} (ms between latency samples).
 *
 * <p>Every measurement uses a fresh topic in one fresh store. Results go to standard output.
 */
public final class PubSubHarness {

  private final Map<String, String> settings;
  private final Tito tito;
  private final Topics topics;
  private final byte[] payload;
  private final int partitions;
  private int topicCount;

  private PubSubHarness(Map<String, String> settings, Tito tito) {
    this.settings = settings;
    this.tito = tito;
    this.topics = tito.topics();
    this.payload = new byte[intSetting("payload", 100)];
    this.partitions = intSetting("partitions", 8);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = BenchArgs.parse(args);
    String store = settings.getOrDefault("store", "rocksdb-none");
    Path dir = BenchStores.tempDir();
    try (Tito tito = BenchStores.open(store, dir)) {
      PubSubHarness h = new PubSubHarness(settings, tito);
      System.out.printf(Locale.ROOT, "store=%s partitions=%d payload=%dB cpus=%d%n", store,
          h.partitions, h.payload.length, Runtime.getRuntime().availableProcessors());
      for (String t : settings.getOrDefault("publishers", "1,4").split(",")) {
        int threads = Integer.parseInt(t.trim());
        h.publishThroughput(1, threads);
        h.publishThroughput(100, threads);
      }
      h.endToEnd(1);
      h.endToEnd(3);
      h.latency();
    } finally {
      BenchStores.delete(dir);
    }
  }

  private int intSetting(String key, int dflt) {
    return Integer.parseInt(settings.getOrDefault(key, Integer.toString(dflt)));
  }

  private String newTopic(String kind) {
    String name = kind + "-" + (topicCount++);
    topics.createTopic(name, TopicConfig.DEFAULTS.withPartitions(partitions));
    return name;
  }

  private Message message() {
    return Message.of("k" + ThreadLocalRandom.current().nextInt(1_000_000), payload);
  }

  /** Events in committed transactions per second, {@code perTx} events per transaction. */
  private void publishThroughput(int perTx, int threads) throws Exception {
    String topic = newTopic("publish");
    long seconds = intSetting("seconds", 5);
    runPublishers(topic, perTx, threads, System.nanoTime() + TimeUnit.SECONDS.toNanos(1), null);
    LongAdder events = new LongAdder();
    long start = System.nanoTime();
    runPublishers(topic, perTx, threads, start + TimeUnit.SECONDS.toNanos(seconds), events);
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT,
        "publish     %3d event(s)/tx, %d thread(s): %,10.0f events/s  (%,.0f tx/s)%n",
        perTx, threads, events.sum() / secs, events.sum() / secs / perTx);
  }

  /** Publishes until {@code deadline} (or {@code limit} events in all when counting to it). */
  private void runPublishers(String topic, int perTx, int threads, long deadline, LongAdder count)
      throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          while (System.nanoTime() < deadline) {
            tito.inTransaction(tx -> {
              for (int i = 0; i < perTx; i++) {
                topics.publish(tx, topic, message());
              }
            });
            if (count != null) {
              count.add(perTx);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
  }

  /**
   * Publishes {@code events} events (100 per transaction, two publisher threads) while {@code
   * groups} groups consume them; the time runs from the first publish until every group
   * processed every event.
   */
  private void endToEnd(int groups) throws Exception {
    String topic = newTopic("e2e");
    int total = intSetting("events", 200_000);
    boolean batch = settings.getOrDefault("handler", "batch").equals("batch");
    SubscribeOptions options = SubscribeOptions.builder().concurrency(partitions).fetchSize(256)
        .build();
    List<LongAdder> seen = new ArrayList<>();
    List<Subscription> subs = new ArrayList<>();
    try {
      for (int g = 0; g < groups; g++) {
        LongAdder n = new LongAdder();
        seen.add(n);
        subs.add(batch
            ? topics.subscribeBatches(topic, "g" + g, (List<Event> es) -> n.add(es.size()), options)
            : topics.subscribe(topic, "g" + g, (Event e) -> n.increment(), options));
      }
      Thread.sleep(1500);                     // let the workers take their leases
      long start = System.nanoTime();
      int publishers = 2;
      int perTx = 100;
      try (ExecutorService pool = Executors.newFixedThreadPool(publishers)) {
        List<Future<?>> fs = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
          int share = total / publishers;
          fs.add(pool.submit(() -> {
            for (int done = 0; done < share; done += perTx) {
              tito.inTransaction(tx -> {
                for (int i = 0; i < perTx; i++) {
                  topics.publish(tx, topic, message());
                }
              });
            }
            return null;
          }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      }
      double published = (System.nanoTime() - start) / 1e9;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (seen.stream().anyMatch(n -> n.sum() < total)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("groups did not finish: " + seen);
        }
        Thread.sleep(1);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      long logged = 0;
      for (int p = 0; p < partitions; p++) {
        logged += topics.head(topic, p);
      }
      if (logged != total) {
        throw new IllegalStateException("expected " + total + " events in the log, found " + logged);
      }
      System.out.printf(Locale.ROOT,
          "end-to-end  %d group(s), %s handler, %,d events: %,10.0f events/s per group"
              + "  (published in %.2f s, all consumed in %.2f s)%n",
          groups, batch ? "batch" : "single", total, total / secs, published, secs);
    } finally {
      for (Subscription s : subs) {
        s.close(Duration.ofSeconds(30));
      }
    }
  }

  /**
   * Commit-to-handler latency on an idle system: one event at a time, from the return of the
   * publishing transaction to the start of the handler, and from before the publishing
   * transaction (so including its commit) to the start of the handler.
   */
  private void latency() throws Exception {
    String topic = newTopic("latency");
    int measured = intSetting("latency", 5000);
    int warmup = 500;
    long pauseMs = intSetting("pause", 1);
    AtomicLong handlerStart = new AtomicLong();
    Semaphore handled = new Semaphore(0);
    Histogram afterCommit = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    Histogram fromPublish = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    int early = 0;
    try (Subscription s = topics.subscribe(topic, "latency", (Event e) -> {
      handlerStart.set(System.nanoTime());
      handled.release();
    }, SubscribeOptions.builder().concurrency(partitions).build())) {
      Thread.sleep(1500);
      for (int i = 0; i < warmup + measured; i++) {
        long before = System.nanoTime();
        topics.publish(topic, message());
        long committed = System.nanoTime();
        if (!handled.tryAcquire(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("event " + i + " not delivered in 30 s");
        }
        long started = handlerStart.get();
        if (i >= warmup) {
          if (started < committed) {
            early++;                          // woken before publish() returned to us
          }
          afterCommit.recordValue(Math.max(0, started - committed));
          fromPublish.recordValue(started - before);
        }
        Thread.sleep(pauseMs);
      }
    }
    print("commit->handler", measured, afterCommit);
    print("publish->handler", measured, fromPublish);
    System.out.printf(Locale.ROOT, "            (%d of %d handlers started before publish()"
        + " returned; counted as 0)%n", early, measured);
  }

  private static void print(String what, int n, Histogram h) {
    System.out.printf(Locale.ROOT,
        "latency     %s, %d events, idle: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms,"
            + " max %.3f ms%n", what, n, h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6,
        h.getMaxValue() / 1e6);
  }
}
