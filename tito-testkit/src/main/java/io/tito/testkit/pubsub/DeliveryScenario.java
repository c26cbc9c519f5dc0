package io.tito.testkit.pubsub;

import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.Tito;
import io.tito.internal.pubsub.Worker;
import io.tito.pubsub.Message;
import io.tito.pubsub.PublishReceipt;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A randomized run of publishing and consuming that records a {@link DeliveryHistory}:
 * concurrent producers publish in transactions with random delays, random aborts and scheduled
 * events; four groups consume ({@code alpha} at-least-once with injected handler failures,
 * {@code beta} at-least-once, {@code gamma} transactional and exactly-once, {@code delta}
 * transactional batches, exactly-once, with injected failures) with several workers
 * each, while a churn thread adds workers, closes them gracefully, and crashes them. Bounded in
 * time: producers stop after their transactions and the run waits at most {@link
 * Settings#drainTimeout} for every group to catch up.
 */
public final class DeliveryScenario {

  private static final Logger log = LoggerFactory.getLogger(DeliveryScenario.class);

  static final String TOPIC = "history";
  static final List<String> GROUPS = List.of("alpha", "beta", "gamma", "delta");

  /**
   * @param partitions topic partitions
   * @param producers concurrent producer threads
   * @param transactionsPerProducer transactions each producer runs (1 to 3 events each)
   * @param keys distinct partition keys
   * @param abortRate share of transactions rolled back on purpose
   * @param scheduledRate share of events with a deliver-at time
   * @param maxDelay longest scheduling delay
   * @param failureRate share of alpha and gamma handler calls that throw
   * @param churnInterval time between churn actions
   * @param drainTimeout longest wait for the groups to catch up after producing
   * @param seed random seed (logged)
   */
  public record Settings(int partitions, int producers, int transactionsPerProducer, int keys,
      double abortRate, double scheduledRate, Duration maxDelay, double failureRate,
      Duration churnInterval, Duration drainTimeout, long seed) {

    /** A run of a few seconds on an embedded engine. */
    public static Settings defaults() {
      return new Settings(4, 4, 120, 12, 0.15, 0.15, Duration.ofMillis(400), 0.05,
          Duration.ofMillis(150), Duration.ofSeconds(60), System.nanoTime());
    }

    public Settings withDrainTimeout(Duration value) {
      return new Settings(partitions, producers, transactionsPerProducer, keys, abortRate,
          scheduledRate, maxDelay, failureRate, churnInterval, value, seed);
    }

    public Settings withTransactionsPerProducer(int value) {
      return new Settings(partitions, producers, value, keys, abortRate,
          scheduledRate, maxDelay, failureRate, churnInterval, drainTimeout, seed);
    }

    public Settings withSeed(long value) {
      return new Settings(partitions, producers, transactionsPerProducer, keys, abortRate,
          scheduledRate, maxDelay, failureRate, churnInterval, drainTimeout, value);
    }
  }

  /** What happened besides the history, to show the run exercised what it claims. */
  public record Stats(int committed, int aborted, int scheduled, int started, int closed,
      int crashed) {}

  private final Tito tito;
  private final Settings s;
  private final Topics topics;
  private final DeliveryHistory history;
  private final Subspace effects;
  private final List<Member> members = new ArrayList<>();
  private final AtomicInteger scheduled = new AtomicInteger();
  private int started;
  private int closed;
  private int crashed;
  private int churns;
  private final SubscribeOptions options = SubscribeOptions.builder()
      .pollInterval(Duration.ofMillis(50))
      .heartbeatInterval(Duration.ofMillis(50))
      .leaseTimeout(Duration.ofMillis(500))
      .backoff(Duration.ofMillis(1), Duration.ofMillis(10))
      .maxAttempts(1_000)
      .shutdownTimeout(Duration.ofSeconds(20))
      .build();

  private record Member(String group, Subscription subscription) {}

  public DeliveryScenario(Tito tito, Settings settings) {
    this.tito = tito;
    this.s = settings;
    this.topics = Topics.of(tito);
    this.history = new DeliveryHistory(settings.partitions());
    this.effects = tito.root().subspace("history-effects");
  }

  public DeliveryHistory history() {
    return history;
  }

  /** Runs the scenario to its end and closes every worker. */
  public Stats run() throws InterruptedException {
    log.info("delivery scenario seed {}", s.seed());
    topics.createTopic(TOPIC, TopicConfig.DEFAULTS.withPartitions(s.partitions()));
    history.group("alpha", false);
    history.group("beta", false);
    history.group("gamma", true);
    history.group("delta", true);
    Random churnRandom = new Random(s.seed());
    for (String g : GROUPS) {
      start(g, churnRandom);
      start(g, churnRandom);
    }
    List<Thread> producers = new ArrayList<>();
    AtomicInteger committedTx = new AtomicInteger();
    AtomicInteger abortedTx = new AtomicInteger();
    for (int i = 0; i < s.producers(); i++) {
      Random r = new Random(s.seed() * 31 + i);
      producers.add(Thread.ofVirtual().name("producer-" + i)
          .start(() -> produce(r, committedTx, abortedTx)));
    }
    while (producers.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(s.churnInterval().toMillis());
      churn(churnRandom);
    }
    for (Thread t : producers) {
      t.join();
    }
    long deadline = System.nanoTime() + s.drainTimeout().toNanos();
    while (!caughtUp() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    for (Member m : members) {
      m.subscription().close();
    }
    for (String g : List.of("gamma", "delta")) {
      history.storedEffects(g, readEffects(g));
      readDeliveries(g);
    }
    log.info("delivery scenario done: {} committed, {} aborted, {} scheduled; workers {} started,"
        + " {} closed, {} crashed", history.committed().size(), history.aborted().size(),
        scheduled.get(), started, closed, crashed);
    return new Stats(history.committed().size(), history.aborted().size(), scheduled.get(),
        started, closed, crashed);
  }

  private void produce(Random r, AtomicInteger committedTx, AtomicInteger abortedTx) {
    for (int t = 0; t < s.transactionsPerProducer(); t++) {
      boolean abort = r.nextDouble() < s.abortRate();
      int events = 1 + r.nextInt(3);
      List<UUID> attempted = new ArrayList<>();
      try {
        tito.inTransaction(tx -> {
          List<DeliveryHistory.Published> mine = new ArrayList<>();
          for (int e = 0; e < events; e++) {
            String key = "key-" + r.nextInt(s.keys());
            Message m = Message.of(key, ("payload-" + e).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (r.nextDouble() < s.scheduledRate()) {
              m = m.deliverAt(Instant.now().plusMillis(1 + r.nextInt((int) s.maxDelay().toMillis())));
            }
            PublishReceipt receipt = topics.publish(tx, TOPIC, m);
            attempted.add(receipt.id());
            mine.add(new DeliveryHistory.Published(receipt.id(), key, receipt.partition(),
                m.deliverAt()));
            pause(r);
          }
          if (abort) {
            throw new AbortOnPurpose();
          }
          tx.afterCommit(() -> {
            mine.forEach(history::committed);
            mine.stream().filter(p -> p.deliverAt() != null).forEach(p -> scheduled.incrementAndGet());
          });
        });
        committedTx.incrementAndGet();
      } catch (AbortOnPurpose | ConflictException e) {
        attempted.forEach(history::aborted);
        abortedTx.incrementAndGet();
      } catch (CommitUnknownException e) {
        attempted.forEach(history::unknown);
      }
      try {
        Thread.sleep(r.nextInt(20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void pause(Random r) {
    try {
      Thread.sleep(r.nextInt(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class AbortOnPurpose extends RuntimeException {
    AbortOnPurpose() {
      super("abort on purpose", null, false, false);
    }
  }

  private void start(String group, Random r) {
    Subscription sub = switch (group) {
      case "gamma" -> topics.subscribeTransactional(TOPIC, group, (tx, e) -> {
        recordInStore(tx, group, e, Instant.now());
        if (java.util.concurrent.ThreadLocalRandom.current().nextDouble() < s.failureRate()) {
          throw new IllegalStateException("injected failure");
        }
      }, options);
      case "delta" -> topics.subscribeBatchesTransactional(TOPIC, group, (tx, events) -> {
        Instant at = Instant.now();
        for (io.tito.pubsub.Event e : events) {
          recordInStore(tx, group, e, at);
        }
        if (java.util.concurrent.ThreadLocalRandom.current().nextDouble() < s.failureRate()) {
          throw new IllegalStateException("injected failure");
        }
      }, options);
      default -> topics.subscribe(TOPIC, group, e -> {
        history.handlerStarted(group, e.partition());
        try {
          history.delivered(group, e, Instant.now());
          Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(2));
          if (group.equals("alpha")
              && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < s.failureRate()) {
            throw new IllegalStateException("injected failure");
          }
        } finally {
          history.handlerDone(group, e.partition());
        }
      }, options);
    };
    members.add(new Member(group, sub));
    started++;
  }

  private void churn(Random r) {
    String group = GROUPS.get(r.nextInt(GROUPS.size()));
    List<Member> ofGroup = members.stream().filter(m -> m.group().equals(group)).toList();
    // The first actions are one of each kind, so every run joins, leaves and crashes.
    int action = churns < 3 ? churns : r.nextInt(3);
    churns++;
    if (action == 0 && ofGroup.size() < 4 || ofGroup.size() <= 1) {
      start(group, r);
      return;
    }
    Member victim = ofGroup.get(r.nextInt(ofGroup.size()));
    members.remove(victim);
    if (action == 1) {
      victim.subscription().close();
      closed++;
    } else {
      ((Worker) victim.subscription()).crash();
      crashed++;
    }
  }

  /**
   * An exactly-once group's handler records its delivery in the store, in the transaction that
   * advances the checkpoint: a count per event id, and the delivery under a per-partition commit
   * counter, so the history holds exactly what committed, in commit order (a crashed worker may
   * not learn that its last commit went through; the store knows).
   */
  private void recordInStore(io.tito.Transaction tx, String group, io.tito.pubsub.Event e, Instant at) {
    byte[] count = effects.pack(group, e.id());
    byte[] v = tx.get(count);
    tx.set(count, Tuple.of(v == null ? 1L : Tuple.unpack(v).getLong(0) + 1).pack());
    byte[] counter = effects.pack("commits", group, e.partition());
    byte[] c = tx.get(counter);
    long n = c == null ? 0 : Tuple.unpack(c).getLong(0);
    tx.set(counter, Tuple.of(n + 1).pack());
    tx.set(effects.pack("deliveries", group, e.partition(), n),
        Tuple.of(e.id(), e.position(), at, e.deliverAt()).pack());
  }

  private boolean caughtUp() {
    if (!history.complete(List.of("alpha", "beta"))) {
      return false;
    }
    Set<UUID> committed = history.committed().keySet();
    return readEffects("gamma").keySet().containsAll(committed)
        && readEffects("delta").keySet().containsAll(committed);
  }

  private void readDeliveries(String group) {
    tito.read(tx -> {
      try (KeyValueCursor c = tx.scan(effects.range(Tuple.of("deliveries", group)))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          Tuple k = effects.unpack(kv.key());
          Tuple v = Tuple.unpack(kv.value());
          history.delivered(new DeliveryHistory.Delivery(group, v.getUuid(0), (int) k.getLong(2),
              v.getLong(1), v.getInstant(2), v.isNull(3) ? null : v.getInstant(3)));
        }
      }
      return null;
    });
  }

  private Map<UUID, Long> readEffects(String group) {
    return tito.read(tx -> {
      Map<UUID, Long> out = new HashMap<>();
      try (KeyValueCursor c = tx.scan(effects.range(Tuple.of(group)))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          Tuple k = effects.unpack(kv.key());
          out.put(k.getUuid(1), Tuple.unpack(kv.value()).getLong(0));
        }
      }
      return out;
    });
  }
}
