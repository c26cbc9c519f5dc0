package io.tito.testkit.pubsub;

import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.pubsub.testing.PubSubTesting;
import io.tito.pubsub.DeadLetter;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.PartitionLag;
import io.tito.pubsub.PublishReceipt;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A randomized run of publishing and consuming that records a {@link DeliveryHistory}:
 * concurrent producers publish in transactions with random delays, random aborts, scheduled
 * events and poison events; four groups consume with several workers each, while a churn thread
 * adds workers, closes them gracefully, and crashes them:
 * <ul>
 *   <li>{@code alpha}, at-least-once with a low max attempts: it fails on poison events until
 *       they are requeued and on a share of the others, so events are dead-lettered, and the run
 *       requeues dead letters while producing;
 *   <li>{@code beta}, at-least-once;
 *   <li>{@code gamma}, transactional and exactly-once, with injected failures; one extra worker
 *       of it, on its own store handle, stalls past its lease once ({@link LeaseLossEpisode});
 *   <li>{@code delta}, transactional batches, exactly-once, with injected failures.
 * </ul>
 * Bounded in time: producers stop after their transactions and the run waits at most {@link
 * Settings#drainTimeout} for every group to catch up.
 */
public final class DeliveryScenario {

  private static final Logger log = LoggerFactory.getLogger(DeliveryScenario.class);

  static final String TOPIC = "history";
  static final List<String> GROUPS = List.of("alpha", "beta", "gamma", "delta");
  private static final String DEAD_LETTERING = "alpha";
  private static final String STALLING = "gamma";
  private static final int MAX_PER_GROUP = 3;

  /**
   * @param partitions topic partitions
   * @param producers concurrent producer threads
   * @param transactionsPerProducer transactions each producer runs (1 to 3 events each)
   * @param keys distinct partition keys, spread evenly over the partitions
   * @param abortRate share of transactions rolled back on purpose
   * @param scheduledRate share of events with a deliver-at time
   * @param maxDelay longest scheduling delay
   * @param failureRate share of alpha, gamma and delta handler calls that throw
   * @param poisonRate share of events alpha fails on until they are requeued (the first
   *     producer's first event always is one)
   * @param deadLetterAttempts alpha's max attempts
   * @param churnInterval time between churn actions
   * @param drainTimeout longest wait for the groups to catch up after producing
   * @param seed random seed (logged)
   */
  public record Settings(int partitions, int producers, int transactionsPerProducer, int keys,
      double abortRate, double scheduledRate, Duration maxDelay, double failureRate,
      double poisonRate, int deadLetterAttempts, Duration churnInterval, Duration drainTimeout,
      long seed) {

    /** A run of a few seconds on an embedded engine. */
    public static Settings defaults() {
      return new Settings(4, 4, 120, 12, 0.15, 0.15, Duration.ofMillis(400), 0.05, 0.02, 2,
          Duration.ofMillis(150), Duration.ofSeconds(60), System.nanoTime());
    }

    public Settings withDrainTimeout(Duration value) {
      return new Settings(partitions, producers, transactionsPerProducer, keys, abortRate,
          scheduledRate, maxDelay, failureRate, poisonRate, deadLetterAttempts, churnInterval,
          value, seed);
    }

    public Settings withTransactionsPerProducer(int value) {
      return new Settings(partitions, producers, value, keys, abortRate, scheduledRate, maxDelay,
          failureRate, poisonRate, deadLetterAttempts, churnInterval, drainTimeout, seed);
    }

    public Settings withSeed(long value) {
      return new Settings(partitions, producers, transactionsPerProducer, keys, abortRate,
          scheduledRate, maxDelay, failureRate, poisonRate, deadLetterAttempts, churnInterval,
          drainTimeout, value);
    }
  }

  /**
   * What happened besides the history, to show the run exercised what it claims.
   *
   * @param deadLettered distinct events alpha dead-lettered (requeued or still dead at the end)
   * @param requeued requeues of alpha's dead letters
   * @param leaseLosses workers that stalled past their lease and saw it taken
   */
  public record Stats(int committed, int aborted, int scheduled, int started, int closed,
      int crashed, int deadLettered, int requeued, int leaseLosses) {}

  private final Tito tito;
  private final Settings s;
  private final Topics topics;
  private final DeliveryHistory history;
  private final EffectsStore effects;
  private final List<String> keys;
  private final List<Member> members = new ArrayList<>();
  private final AtomicInteger scheduled = new AtomicInteger();
  private int started;
  private int closed;
  private int crashed;
  private int churns;
  private boolean effectsOutsideTransaction;
  private final SubscribeOptions options = SubscribeOptions.builder()
      .pollInterval(Duration.ofMillis(50))
      .heartbeatInterval(Duration.ofMillis(50))
      .leaseTimeout(Duration.ofMillis(500))
      .backoff(Duration.ofMillis(1), Duration.ofMillis(10))
      .maxAttempts(1_000)
      .shutdownTimeout(Duration.ofSeconds(20))
      .build();
  private final SubscribeOptions deadLettering;

  private record Member(String group, Subscription subscription) {}

  public DeliveryScenario(Tito tito, Settings settings) {
    this.tito = tito;
    this.s = settings;
    this.topics = tito.topics();
    this.history = new DeliveryHistory(settings.partitions());
    this.effects = new EffectsStore(tito, TOPIC);
    this.keys = spreadKeys(settings.keys(), settings.partitions());
    this.deadLettering = options.toBuilder().maxAttempts(settings.deadLetterAttempts()).build();
  }

  /**
   * For the checker's self-test: the transactional groups' handlers write their effects in a
   * transaction of their own instead of the one that advances the checkpoint.
   */
  DeliveryScenario withEffectsOutsideTransaction() {
    effectsOutsideTransaction = true;
    return this;
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
    history.maxAttempts(DEAD_LETTERING, s.deadLetterAttempts());
    Random churnRandom = new Random(s.seed());
    try (LeaseLossEpisode episode = new LeaseLossEpisode(tito, TOPIC, STALLING, history)) {
      Subscription stalling = episode.stallTito().topics().subscribeTransactional(TOPIC,
          STALLING, (tx, e) -> handleStalling(episode, tx, e), options);
      episode.worker(stalling);
      started++;
      for (String g : GROUPS) {
        start(g, episode);
        start(g, episode);
      }
      List<Thread> producers = new ArrayList<>();
      AtomicInteger committedTx = new AtomicInteger();
      AtomicInteger abortedTx = new AtomicInteger();
      for (int i = 0; i < s.producers(); i++) {
        Random r = new Random(s.seed() * 31 + i);
        boolean first = i == 0;
        producers.add(Thread.ofVirtual().name("producer-" + i)
            .start(() -> produce(r, first, committedTx, abortedTx)));
      }
      while (producers.stream().anyMatch(Thread::isAlive)) {
        Thread.sleep(s.churnInterval().toMillis());
        churn(churnRandom, episode);
        requeueDeadLetters(10);
      }
      for (Thread t : producers) {
        t.join();
      }
      long deadline = System.nanoTime() + s.drainTimeout().toNanos();
      // Poison events reach the dead letters only after their attempts and back-offs: on a slow
      // machine none may have by now, so wait until one has (the run must cover a requeue).
      requeueDeadLetters(100);
      while (history.requeues(DEAD_LETTERING).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
        requeueDeadLetters(100);
      }
      while (!caughtUp() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      for (Member m : members) {
        m.subscription().close();
      }
      stalling.close();
    }
    for (String g : List.of("gamma", "delta")) {
      effects.readInto(history, g);
    }
    for (String g : GROUPS) {
      history.deadLetters(g, deadLetterIds(g));
      history.finalLag(g, topics.lag(TOPIC, g));
    }
    Set<UUID> everDead = new HashSet<>(history.deadLetters(DEAD_LETTERING));
    everDead.addAll(history.requeuedIds(DEAD_LETTERING));
    Stats stats = new Stats(history.committed().size(), history.aborted().size(), scheduled.get(),
        started, closed, crashed, everDead.size(), history.requeues(DEAD_LETTERING).size(),
        history.leaseLosses().size());
    log.info("delivery scenario done: {}", stats);
    return stats;
  }

  /**
   * {@code n} partition keys spread evenly over the partitions (names taken in order, each
   * partition getting its share), so that every partition sees traffic.
   */
  static List<String> spreadKeys(int n, int partitions) {
    List<String> out = new ArrayList<>();
    int[] taken = new int[partitions];
    for (int i = 0; out.size() < n; i++) {
      String key = "key-" + i;
      int p = Topics.partitionOf(key, partitions);
      if (taken[p] * partitions < n) {
        taken[p]++;
        out.add(key);
      }
    }
    return List.copyOf(out);
  }

  private void produce(Random r, boolean first, AtomicInteger committedTx,
      AtomicInteger abortedTx) {
    for (int t = 0; t < s.transactionsPerProducer(); t++) {
      boolean firstTx = first && t == 0;
      boolean abort = r.nextDouble() < s.abortRate() && !firstTx;
      int events = 1 + r.nextInt(3);
      List<UUID> attempted = new ArrayList<>();
      try {
        tito.inTransaction(tx -> {
          List<DeliveryHistory.Published> mine = new ArrayList<>();
          for (int e = 0; e < events; e++) {
            String key = keys.get(r.nextInt(keys.size()));
            boolean poison = firstTx && e == 0 || r.nextDouble() < s.poisonRate();
            String payload = (poison ? "poison-" : "payload-") + e;
            Message m = Message.of(key, payload.getBytes(StandardCharsets.UTF_8));
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

  private void start(String group, LeaseLossEpisode episode) {
    Subscription sub = switch (group) {
      case "gamma" -> topics.subscribeTransactional(TOPIC, group, (tx, e) -> {
        episode.awaitStalledAttempt(e);
        record(tx, group, List.of(e), null);
        failSometimes();
      }, options);
      case "delta" -> topics.subscribeBatchesTransactional(TOPIC, group, (tx, events) -> {
        record(tx, group, events, null);
        failSometimes();
      }, options);
      case "alpha" -> topics.subscribe(TOPIC, group, e -> handleAtLeastOnce(group, e),
          deadLettering);
      default -> topics.subscribe(TOPIC, group, e -> handleAtLeastOnce(group, e), options);
    };
    members.add(new Member(group, sub));
    started++;
  }

  private void handleStalling(LeaseLossEpisode episode, Transaction tx, Event e)
      throws InterruptedException {
    LeaseLossEpisode.Late late = episode.stallOnce(tx, e);
    if (late == null) {
      episode.awaitStalledAttempt(e);
    }
    record(tx, STALLING, List.of(e), late);
    if (late == null) {
      failSometimes();
    }
  }

  private void record(Transaction tx, String group, List<Event> events,
      LeaseLossEpisode.Late late) {
    Instant at = Instant.now();
    if (effectsOutsideTransaction) {
      tito.inTransaction(own -> events.forEach(e -> effects.record(own, group, e, at, late)));
    } else {
      events.forEach(e -> effects.record(tx, group, e, at, late));
    }
  }

  private void failSometimes() {
    if (ThreadLocalRandom.current().nextDouble() < s.failureRate()) {
      throw new IllegalStateException("injected failure");
    }
  }

  private void handleAtLeastOnce(String group, Event e) throws InterruptedException {
    history.handlerStarted(group, e.partition());
    try {
      boolean fail = group.equals(DEAD_LETTERING)
          && (isPoison(e) && !history.requeuedIds(group).contains(e.id())
          || ThreadLocalRandom.current().nextDouble() < s.failureRate());
      history.delivered(group, e, Instant.now(), fail);
      Thread.sleep(ThreadLocalRandom.current().nextInt(2));
      if (fail) {
        throw new IllegalStateException("injected failure");
      }
    } finally {
      history.handlerDone(group, e.partition());
    }
  }

  private static boolean isPoison(Event e) {
    return new String(e.payload(), StandardCharsets.UTF_8).startsWith("poison-");
  }

  private void churn(Random r, LeaseLossEpisode episode) {
    String group = GROUPS.get(r.nextInt(GROUPS.size()));
    List<Member> ofGroup = members.stream().filter(m -> m.group().equals(group)).toList();
    // The first actions are one of each kind, so every run joins, leaves and crashes.
    int action = churns < 3 ? churns : r.nextInt(3);
    churns++;
    if (action == 0 && ofGroup.size() < MAX_PER_GROUP || ofGroup.size() <= 1) {
      start(group, episode);
      return;
    }
    Member victim = ofGroup.get(r.nextInt(ofGroup.size()));
    members.remove(victim);
    if (action == 1) {
      victim.subscription().close();
      closed++;
    } else {
      PubSubTesting.crash(victim.subscription());
      crashed++;
    }
  }

  /** Requeues up to {@code limit} of alpha's dead letters, recording each before asking. */
  private void requeueDeadLetters(int limit) {
    for (DeadLetter d : topics.deadLetters(TOPIC, DEAD_LETTERING, limit)) {
      history.requeued(DEAD_LETTERING, d.id(), Instant.now());
      topics.requeue(TOPIC, DEAD_LETTERING, d.id());
    }
  }

  private Set<UUID> deadLetterIds(String group) {
    Set<UUID> out = new HashSet<>();
    for (DeadLetter d : topics.deadLetters(TOPIC, group, 100_000)) {
      out.add(d.id());
    }
    return out;
  }

  private boolean caughtUp() {
    if (!history.complete("alpha", deadLetterIds("alpha"))
        || !history.complete("beta", Set.of())) {
      return false;
    }
    for (String g : GROUPS) {
      for (PartitionLag l : topics.lag(TOPIC, g)) {
        if (l.lag() != 0 || l.requeued() != 0) {
          return false;
        }
      }
    }
    Set<UUID> committed = history.committed().keySet();
    return effects.counts("gamma").keySet().containsAll(committed)
        && effects.counts("delta").keySet().containsAll(committed);
  }
}
