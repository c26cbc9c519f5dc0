package io.tito.bench.peers;

import io.tito.Tito;
import io.tito.bench.BenchArgs;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One-event latency on the embedded engine (issue 17's "one-event latency unchanged or better"):
 * one thread publishes one event per transaction and waits for the subscriber's handler to see it
 * before publishing the next, so nothing else shares a sync or a core's time with it. Prints, per
 * durability, the commit latency (the transaction's call until it returns) and the
 * commit-to-handler latency (its return until the handler ran), p50 / p99 / max in ms.
 *
 * <p>Uses only API that has not changed since the first issue-17 pass, so the same source runs
 * against that pass's base for a before/after in one run.
 *
 * <pre>{@code
 * java -cp <bin/build-module tito-bench> io.tito.bench.peers.OneEventLatency \
 *     events=3000 warmup=3000 durability=group,none dir=/tmp/one-event
 * }</pre>
 */
public final class OneEventLatency {

  private OneEventLatency() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = BenchArgs.parse(args);
    int events = Integer.parseInt(a.getOrDefault("events", "3000"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "3000"));
    Path root = Path.of(a.getOrDefault("dir", Files.createTempDirectory("one-event").toString()));
    for (String durability : a.getOrDefault("durability", "group,none").split(",")) {
      Path dir = root.resolve(durability + "-" + System.nanoTime());
      System.out.println(run(dir, durability, warmup, events));
    }
  }

  private static String run(Path dir, String durability, int warmup, int events)
      throws InterruptedException {
    Latencies commit = new Latencies();
    Latencies toHandler = new Latencies();
    AtomicLong seen = new AtomicLong(-1);
    AtomicLong seenAt = new AtomicLong();
    Thread publisher = Thread.currentThread();
    try (Tito tito = Tito.builder()
        .engine("rocksdb", Map.of("path", dir.toString(), "durability", durability)).build()) {
      Topics topics = tito.topics();
      topics.createTopic("one", TopicConfig.DEFAULTS.withPartitions(1));
      SubscribeOptions options = SubscribeOptions.DEFAULTS;
      try (Subscription s = topics.subscribe("one", "g", e -> {
        seenAt.set(System.nanoTime());
        seen.set(ByteBuffer.wrap(e.payload()).getLong());
        LockSupport.unpark(publisher);
      }, options)) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.ownedPartitions().isEmpty()) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("no lease in 30 s");
          }
          Thread.sleep(5);
        }
        for (long i = 0; i < warmup + events; i++) {
          byte[] payload = ByteBuffer.allocate(100).putLong(i).array();
          Message m = Message.of("k", payload);
          long t0 = System.nanoTime();
          tito.inTransaction(tx -> topics.publish(tx, "one", m));
          long t1 = System.nanoTime();
          while (seen.get() < i) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
          }
          if (i >= warmup) {
            commit.recordNanos(t1 - t0);
            toHandler.recordNanos(seenAt.get() - t1);
          }
        }
      }
    }
    return String.format(Locale.ROOT,
        "%s: %d events, commit p50/p99/max %s ms, commit-to-handler %s ms", durability, events,
        commit.summary(), toHandler.summary());
  }
}
