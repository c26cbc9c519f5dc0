package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.internal.pubsub.GroupState;
import io.tito.internal.pubsub.Keys;
import io.tito.internal.pubsub.Lease;
import io.tito.internal.pubsub.Worker;
import io.tito.memory.MemoryEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OwnershipTest {

  private final Tito tito = Tito.open(new MemoryEngine());
  private final Topics topics = tito.topics();
  private final Keys keys = new Keys(tito.root());
  private final List<Subscription> subs = new ArrayList<>();

  @AfterEach
  void close() {
    subs.forEach(s -> s.close(Duration.ofSeconds(5)));
    tito.close();
  }

  private Subscription sub(EventHandler h) {
    Subscription s = topics.subscribe("t", "g", h, Await.fast().build());
    subs.add(s);
    return s;
  }

  private void publish(String key) {
    topics.publish("t", Message.of(key, key.getBytes(StandardCharsets.UTF_8)));
  }

  private Lease lease(int p) {
    return tito.read(tx -> Lease.decode(tx.get(keys.lease("t", "g", p))));
  }

  private GroupState state(int p) {
    return tito.read(tx -> GroupState.decode(tx.get(keys.state("t", "g", p))));
  }

  @Test
  void workersSplitPartitionsAndTakeOverWhenOneLeaves() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(6));
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Subscription a = sub(e -> seen.add(e.key()));
    Subscription b = sub(e -> seen.add(e.key()));
    Await.until("balanced", () -> a.ownedPartitions().size() == 3 && b.ownedPartitions().size() == 3);
    Set<Integer> all = new HashSet<>(a.ownedPartitions());
    all.addAll(b.ownedPartitions());
    assertThat(all).hasSize(6);
    assertThat(b.close(Duration.ofSeconds(10))).isTrue();
    Await.until("a owns all", () -> a.ownedPartitions().size() == 6);
    for (int i = 0; i < 50; i++) {
      publish("k" + i);
    }
    Await.until("all delivered", () -> seen.size() == 50);
  }

  @Test
  void aCrashedWorkersPartitionsMoveOnceItsLeasesExpire() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(2));
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Subscription a = sub(e -> seen.add(e.key()));
    Await.until("a owns both", () -> a.ownedPartitions().size() == 2);
    ((Worker) a).crash();
    assertThat(lease(0).owner()).isEqualTo(a.workerId());
    Subscription b = sub(e -> seen.add(e.key()));
    Await.until("b owns both", () -> b.ownedPartitions().size() == 2);
    assertThat(lease(0).owner()).isEqualTo(b.workerId());
    for (int i = 0; i < 20; i++) {
      publish("k" + i);
    }
    Await.until("all delivered", () -> seen.size() == 20);
  }

  @Test
  void aWorkerWhoseLeaseWasTakenCannotCommitProgress() throws Exception {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    Subscription a = sub(e -> {
      inHandler.countDown();
      proceed.await();
      handled.incrementAndGet();
    });
    publish("k");
    assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
    // Another worker takes the partition, as after an expired lease: new epoch in lease and state.
    tito.inTransaction(tx -> {
      Lease l = Lease.decode(tx.get(keys.lease("t", "g", 0)));
      GroupState s = GroupState.decode(tx.get(keys.state("t", "g", 0)));
      long next = l.epoch() + 1;
      tx.set(keys.lease("t", "g", 0), new Lease("thief", next, Long.MAX_VALUE).encode());
      tx.set(keys.state("t", "g", 0),
          new GroupState(s.checkpoint(), s.attempts(), next, s.retryAtMillis(), s.lastError()).encode());
    });
    proceed.countDown();
    Await.until("a gave the partition up", () -> a.ownedPartitions().isEmpty());
    assertThat(handled.get()).isEqualTo(1);
    assertThat(state(0).checkpoint()).as("the fenced commit did not advance").isZero();
    assertThat(lease(0).owner()).isEqualTo("thief");
  }

  @Test
  void gracefulShutdownFinishesInFlightHandlersCommitsAndReleasesLeases() throws Exception {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    List<String> done = new CopyOnWriteArrayList<>();
    Subscription a = topics.subscribe("t", "g", e -> {
      inHandler.countDown();
      proceed.await();
      done.add(e.key());
    }, Await.fast().build());
    publish("first");
    publish("second");
    assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
    Thread closer = Thread.ofVirtual().start(() -> a.close(Duration.ofSeconds(30)));
    // close() has set its stop flag once it waits for the in-flight handler.
    Await.until("closer waiting", () -> closer.getState() == Thread.State.TIMED_WAITING);
    assertThat(lease(0).owner()).as("lease kept while in flight").isEqualTo(a.workerId());
    proceed.countDown();
    closer.join();
    assertThat(done).as("finished in-flight work, fetched nothing new").containsExactly("first");
    boolean member = tito.read(tx -> {
      try (var c = tx.scan(keys.membersRange("t", "g"))) {
        return c.hasNext();
      }
    });
    assertThat(member).as("left the group").isFalse();
    assertThat(state(0).checkpoint()).isEqualTo(1);
    assertThat(lease(0).owner()).isNull();
    assertThat(a.ownedPartitions()).isEmpty();
  }

  @Test
  void shutdownPastItsTimeoutInterruptsHandlersWithoutCountingAnAttempt() throws Exception {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    CountDownLatch inHandler = new CountDownLatch(1);
    Subscription a = topics.subscribe("t", "g", e -> {
      inHandler.countDown();
      Thread.sleep(Long.MAX_VALUE);
    }, Await.fast().build());
    publish("stuck");
    assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(a.close(Duration.ofMillis(100))).isFalse();
    GroupState s = state(0);
    assertThat(s.checkpoint()).isZero();
    assertThat(s.attempts()).isZero();
  }
}
