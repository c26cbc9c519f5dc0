package io.tito.examples;

import static io.tito.examples.ExampleSupport.await;

import io.tito.Tito;
import io.tito.pubsub.Event;
import io.tito.pubsub.EventHandler;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A work queue ({@code queue_fifo}): jobs of several customers go to one topic keyed by customer,
 * and two workers of one consumer group share the partitions. Each job is handled by one worker,
 * and the jobs of one customer are handled strictly in the order they were committed, although
 * different customers are processed in parallel.
 *
 * <p>Run it with {@code bin/run-example io.tito.examples.QueueFifoExample [data-directory]}.
 */
public final class QueueFifoExample {

  private static final List<String> STEPS = List.of("open account", "verify email", "add card",
      "first charge", "send receipt");
  private static final List<String> CUSTOMERS = List.of("ann", "bob", "cid", "dan");

  private QueueFifoExample() {}

  public static void main(String[] args) throws Exception {
    ExampleSupport.mainOnRocksDb("queue-fifo", args, QueueFifoExample::run);
  }

  /** The example itself, on any engine; the topic {@code jobs} should be new. */
  public static void run(Tito tito, PrintStream out) throws Exception {
    Topics topics = tito.topics();
    topics.createTopic("jobs", TopicConfig.DEFAULTS.withPartitions(4));

    // Interleaved producers: step 1 of every customer, then step 2 of every customer, ...
    for (int step = 0; step < STEPS.size(); step++) {
      int s = step;
      tito.inTransaction(tx -> {
        for (String customer : CUSTOMERS) {
          String job = (s + 1) + ". " + STEPS.get(s);
          topics.publish(tx, "jobs", Message.of(customer, job.getBytes(StandardCharsets.UTF_8)));
        }
      });
    }
    int total = STEPS.size() * CUSTOMERS.size();
    out.println("Queued " + total + " jobs for " + CUSTOMERS + " in " + STEPS.size()
        + " transactions, keyed by customer (4 partitions).");
    for (String c : CUSTOMERS) {
      out.println("  " + c + " -> partition " + Topics.partitionOf(c, 4));
    }

    Map<String, List<String>> handled = new ConcurrentHashMap<>();
    Set<UUID> seen = ConcurrentHashMap.newKeySet();        // at-least-once: dedupe by event id
    List<String> outOfOrder = new CopyOnWriteArrayList<>();
    EventHandler worker = e -> {
      if (!seen.add(e.id())) {
        return;
      }
      Thread.sleep(2);                                    // pretend to work
      List<String> jobs = handled.computeIfAbsent(e.key(), k -> new CopyOnWriteArrayList<>());
      String job = text(e);
      if (!jobs.isEmpty() && step(jobs.get(jobs.size() - 1)) > step(job)) {
        outOfOrder.add(e.key() + ": " + job);
      }
      jobs.add(job);
    };
    SubscribeOptions options = SubscribeOptions.builder().concurrency(4)
        .pollInterval(Duration.ofMillis(200)).build();
    try (Subscription w1 = topics.subscribe("jobs", "workers", worker, options);
        Subscription w2 = topics.subscribe("jobs", "workers", worker, options)) {
      await("all jobs", () -> seen.size() >= total);
    }
    out.println("Two workers of group 'workers' handled " + seen.size() + " jobs. Per customer,"
        + " in handling order:");
    for (Map.Entry<String, List<String>> e : new TreeMap<>(handled).entrySet()) {
      out.println("  " + e.getKey() + ": " + String.join(" | ", e.getValue()));
    }
    out.println("Jobs of a customer handled out of order: " + outOfOrder.size());
    long lag = topics.lag("jobs", "workers").stream().mapToLong(l -> l.lag()).sum();
    out.println("Lag of group 'workers': " + lag);
  }

  private static int step(String job) {
    return Integer.parseInt(job.substring(0, job.indexOf('.')));
  }

  private static String text(Event e) {
    return new String(e.payload(), StandardCharsets.UTF_8);
  }
}
