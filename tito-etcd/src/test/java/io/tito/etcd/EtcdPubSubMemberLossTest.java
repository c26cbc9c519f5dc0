package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.CommitUnknownException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.Tito;
import io.tito.TitoException;
import io.tito.Transaction;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.PublishReceipt;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.testkit.pubsub.DeliveryHistory;
import io.tito.testkit.pubsub.HistoryChecker;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tito's pub/sub on a private three-member cluster while its leader, and then (once it is back) a
 * follower, is SIGKILLed: two producers publish (the outbox, each publish its own transaction),
 * and two consumer groups, each with a worker in each of two engines (two "processes"), consume:
 * {@code plain} at least once, {@code exact} exactly once with its effects written in the
 * transaction that advances the checkpoint. Publishing pauses and resumes after each kill, and
 * the delivery history checker of tito-testkit finds no loss (of anything acknowledged), no
 * phantom (nothing reported failed is ever delivered), per-partition order, exactly-once effects
 * and final checkpoints at the heads: every commit outcome the engine reported was right.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EtcdPubSubMemberLossTest {

  private static final String TOPIC = "orders";
  private static final int PARTITIONS = 4;
  private static final Duration RESUME = Duration.ofSeconds(90);

  private final DeliveryHistory history = new DeliveryHistory(PARTITIONS);
  private final BlockingQueue<UUID> acknowledged = new LinkedBlockingQueue<>();
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicInteger notApplied = new AtomicInteger();
  private final SubscribeOptions options = SubscribeOptions.builder()
      .pollInterval(Duration.ofMillis(100))
      .heartbeatInterval(Duration.ofMillis(200))
      .leaseTimeout(Duration.ofSeconds(5))
      .backoff(Duration.ofMillis(10), Duration.ofMillis(500))
      .maxAttempts(1_000_000)
      .shutdownTimeout(Duration.ofSeconds(20))
      .build();

  @Test
  void publishingAndConsumingSurviveTheLossOfTheLeaderAndThenAFollowerWithACorrectHistory() throws Exception {
    history.group("plain", false);
    history.group("exact", true);
    try (EtcdCluster cluster = EtcdCluster.startPrivate()) {
      String ns = EtcdCluster.freshNamespace("pubsub-member-loss");
      try (Tito a = Tito.open(cluster.open(ns)); Tito b = Tito.open(cluster.open(ns))) {
        a.topics().createTopic(TOPIC, TopicConfig.DEFAULTS.withPartitions(PARTITIONS));
        Subspace effects = a.root().subspace("effects");
        List<Subscription> workers = new ArrayList<>();
        for (Tito process : List.of(a, b)) {
          workers.add(process.topics().subscribe(TOPIC, "plain", this::handlePlain, options));
          workers.add(process.topics().subscribeTransactional(TOPIC, "exact",
              (tx, e) -> recordEffect(tx, effects, e), options));
        }
        List<Thread> producers = List.of(
            Thread.ofPlatform().name("producer-a").start(() -> produce(a, "a")),
            Thread.ofPlatform().name("producer-b").start(() -> produce(b, "b")));
        try {
          awaitAcknowledged(50, "before any member is killed");
          int leader = cluster.awaitLeader(RESUME);
          cluster.kill(leader);
          acknowledged.clear();
          awaitAcknowledged(50, "after the leader was killed");
          cluster.restart(leader);
          cluster.awaitLeader(RESUME);
          int follower = (cluster.awaitLeader(RESUME) + 1) % 3;
          cluster.kill(follower);
          acknowledged.clear();
          awaitAcknowledged(50, "after a follower was killed");
          cluster.restart(follower);
        } finally {
          producing.set(false);
          for (Thread p : producers) {
            p.join(RESUME.toMillis());
          }
        }
        awaitCaughtUp(a, effects);
        for (Subscription w : workers) {
          w.close();
        }
        history.storedEffects("exact", effectCounts(a, effects));
        readDeliveries(a, effects);
        for (String group : List.of("plain", "exact")) {
          history.deadLetters(group, List.of());
          history.finalLag(group, a.topics().lag(TOPIC, group));
        }
      }
    }
    List<String> violations = HistoryChecker.check(history);
    System.out.printf("pub/sub under member loss: %d published, %d not applied, %d unknown%n",
        history.committed().size(), notApplied.get(), history.unknown().size());
    assertThat(violations).as("delivery history violations").isEmpty();
    assertThat(history.committed()).as("acknowledged publishes").hasSizeGreaterThanOrEqualTo(150);
  }

  private void produce(Tito tito, String name) {
    for (int n = 0; producing.get(); n++) {
      UUID id = UUID.randomUUID();
      String key = name + "-" + (n % 16);
      try {
        PublishReceipt r = tito.topics().publish(TOPIC,
            Message.of(key, id.toString().getBytes(StandardCharsets.UTF_8)).withId(id));
        history.committed(new DeliveryHistory.Published(id, key, r.partition(), null));
        acknowledged.add(id);
      } catch (CommitUnknownException e) {
        history.unknown(id);
      } catch (TitoException e) {
        // Anything but "unknown" means the publish was not applied: it must never be delivered.
        history.aborted(id);
        notApplied.incrementAndGet();
      }
    }
  }

  private void handlePlain(Event e) {
    history.handlerStarted("plain", e.partition());
    try {
      history.delivered("plain", e, Instant.now());
    } finally {
      history.handlerDone("plain", e.partition());
    }
  }

  /** The exactly-once group's effect: a count per event and the delivery at its position, in the handler's transaction. */
  private static void recordEffect(Transaction tx, Subspace effects, Event e) {
    byte[] count = effects.pack("count", e.id());
    byte[] v = tx.get(count);
    tx.set(count, Tuple.of(v == null ? 1L : Tuple.unpack(v).getLong(0) + 1).pack());
    tx.set(effects.pack("delivery", e.partition(), e.position(), e.id()), Tuple.of(Instant.now()).pack());
  }

  private static Map<UUID, Long> effectCounts(Tito tito, Subspace effects) {
    return tito.read(tx -> {
      Map<UUID, Long> out = new HashMap<>();
      try (KeyValueCursor c = tx.scan(effects.range(Tuple.of("count")))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          out.put(effects.unpack(kv.key()).getUuid(1), Tuple.unpack(kv.value()).getLong(0));
        }
      }
      return out;
    });
  }

  /** The exactly-once group's committed deliveries, in position order per partition, as the store holds them. */
  private void readDeliveries(Tito tito, Subspace effects) {
    tito.read(tx -> {
      try (KeyValueCursor c = tx.scan(effects.range(Tuple.of("delivery")))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          Tuple k = effects.unpack(kv.key());
          history.delivered(new DeliveryHistory.Delivery("exact", k.getUuid(3), (int) k.getLong(1),
              k.getLong(2), Tuple.unpack(kv.value()).getInstant(0), null));
        }
      }
      return null;
    });
  }

  /** Waits until both groups have every acknowledged publish (the exact group's effects in the store). */
  private void awaitCaughtUp(Tito tito, Subspace effects) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      Set<UUID> done = effectCounts(tito, effects).keySet();
      boolean exact = done.containsAll(history.committed().keySet());
      boolean plain = history.complete("plain", Set.of());
      boolean checkpoints = tito.topics().lag(TOPIC, "plain").stream().allMatch(l -> l.lag() == 0)
          && tito.topics().lag(TOPIC, "exact").stream().allMatch(l -> l.lag() == 0);
      if (exact && plain && checkpoints) {
        return;
      }
      assertThat(System.nanoTime()).as("groups caught up within 2 minutes (exact %s, plain %s, checkpoints %s)",
          exact, plain, checkpoints).isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  private void awaitAcknowledged(int publishes, String when) throws InterruptedException {
    for (int i = 0; i < publishes; i++) {
      UUID ack = acknowledged.poll(RESUME.toSeconds(), TimeUnit.SECONDS);
      assertThat(ack).as("publish %d of %d acknowledged within %s %s", i + 1, publishes, RESUME, when).isNotNull();
    }
  }

}
