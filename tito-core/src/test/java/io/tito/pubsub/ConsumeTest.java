package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ManualClock;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.tuple.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsumeTest {

  private final Tito tito = Tito.open(new MemoryEngine());
  private final Topics topics = tito.topics();
  private final List<Subscription> subs = new ArrayList<>();

  @AfterEach
  void close() {
    subs.forEach(Subscription::close);
    tito.close();
  }

  private Subscription sub(String group, EventHandler h, SubscribeOptions o) {
    Subscription s = topics.subscribe("t", group, h, o);
    subs.add(s);
    return s;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Event e) {
    return new String(e.payload(), StandardCharsets.UTF_8);
  }

  private void publish(String key, String payload) {
    topics.publish("t", Message.of(key, bytes(payload)));
  }

  @Test
  void oneWorkerReceivesEveryEventInPartitionOrderAndCheckpoints() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(4));
    for (int i = 0; i < 200; i++) {
      publish("k" + (i % 10), "k" + (i % 10) + ":" + i);
    }
    Map<Integer, List<Long>> positions = new ConcurrentHashMap<>();
    Map<String, List<Integer>> perKey = new ConcurrentHashMap<>();
    AtomicInteger count = new AtomicInteger();
    sub("g", e -> {
      positions.computeIfAbsent(e.partition(), p -> new CopyOnWriteArrayList<>()).add(e.position());
      String[] parts = text(e).split(":");
      perKey.computeIfAbsent(parts[0], k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(parts[1]));
      count.incrementAndGet();
    }, Await.fast().build());
    Await.until("all delivered", () -> count.get() >= 200);
    Await.until("lag zero", () -> topics.lag("t", "g").stream().allMatch(l -> l.lag() == 0));
    assertThat(count.get()).isEqualTo(200);
    positions.values().forEach(l -> assertThat(l).isSorted().doesNotHaveDuplicates());
    perKey.values().forEach(l -> assertThat(l).isSorted());
    assertThat(perKey).hasSize(10);
  }

  @Test
  void aMethodReferenceIsAnAtLeastOnceHandler() {
    // Compiles only because the handler kinds have distinct method names (list::add is ambiguous
    // between one- and two-argument handlers otherwise).
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("k", "one");
    List<Event> received = new CopyOnWriteArrayList<>();
    subs.add(topics.subscribe("t", "g", received::add, Await.fast().build()));
    Await.until("delivered", () -> received.size() == 1);
    assertThat(text(received.get(0))).isEqualTo("one");
  }

  @Test
  void aRestartedGroupResumesFromItsCheckpoints() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(2));
    List<String> seen = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 10; i++) {
      publish("k" + i, "a" + i);
    }
    Subscription s = sub("g", e -> seen.add(text(e)), Await.fast().build());
    Await.until("first batch", () -> seen.size() >= 10);
    assertThat(s.close(Duration.ofSeconds(20))).isTrue();
    for (int i = 0; i < 10; i++) {
      publish("k" + i, "b" + i);
    }
    List<String> after = new CopyOnWriteArrayList<>();
    sub("g", e -> after.add(text(e)), Await.fast().build());
    Await.until("second batch", () -> after.size() >= 10);
    assertThat(after).allMatch(x -> x.startsWith("b")).hasSize(10);
    assertThat(seen).hasSize(10);
  }

  @Test
  void aNewGroupCanStartAtTheLatestEvent() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("k", "old");
    List<String> seen = new CopyOnWriteArrayList<>();
    sub("late", e -> seen.add(text(e)), Await.fast().start(StartPosition.LATEST).build());
    Await.until("registered", () -> topics.lag("t", "late").get(0).checkpoint() == 1);
    publish("k", "new");
    Await.until("new delivered", () -> seen.contains("new"));
    assertThat(seen).containsExactly("new");
  }

  @Test
  void aFailingEventIsRetriedInPlaceWithPersistedAttemptsBeforeLaterEvents() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("k", "flaky");
    publish("k", "next");
    List<String> log = new CopyOnWriteArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    sub("g", e -> {
      log.add(text(e));
      if (text(e).equals("flaky") && failures.getAndIncrement() < 3) {
        throw new IllegalStateException("transient");
      }
    }, Await.fast().maxAttempts(10).build());
    Await.until("next delivered", () -> log.contains("next"));
    assertThat(log).containsExactly("flaky", "flaky", "flaky", "flaky", "next");
    assertThat(topics.deadLetters("t", "g", 10)).isEmpty();
  }

  @Test
  void afterMaxAttemptsAnEventIsDeadLetteredAndThePartitionMovesOnAndOtherGroupsAreUnaffected() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("k", "poison");
    publish("k", "fine");
    List<String> a = new CopyOnWriteArrayList<>();
    List<String> b = new CopyOnWriteArrayList<>();
    AtomicInteger poisonCalls = new AtomicInteger();
    sub("a", e -> {
      a.add(text(e));
      if (text(e).equals("poison") && poisonCalls.incrementAndGet() <= 3) {
        throw new IllegalArgumentException("bad payload");
      }
    }, Await.fast().maxAttempts(3).build());
    sub("b", e -> b.add(text(e)), Await.fast().build());
    Await.until("a moved on", () -> a.contains("fine"));
    Await.until("b got both", () -> b.size() == 2);
    assertThat(a).containsExactly("poison", "poison", "poison", "fine");
    assertThat(b).containsExactly("poison", "fine");
    List<DeadLetter> dead = topics.deadLetters("t", "a", 10);
    assertThat(dead).hasSize(1);
    DeadLetter d = dead.get(0);
    assertThat(d.attempts()).isEqualTo(3);
    assertThat(d.error()).contains("bad payload");
    assertThat(d.position()).isZero();
    assertThat(text(d.event())).isEqualTo("poison");
    assertThat(topics.deadLetters("t", "b", 10)).isEmpty();

    topics.requeue("t", "a", d.id());
    Await.until("requeued event handled by a", () -> a.size() == 5);
    assertThat(a.get(4)).isEqualTo("poison");
    assertThat(topics.deadLetters("t", "a", 10)).isEmpty();
    Await.until("a has no requeued entries left",
        () -> topics.lag("t", "a").get(0).requeued() == 0);
    publish("k", "last");
    Await.until("b got last", () -> b.contains("last"));
    assertThat(b).containsExactly("poison", "fine", "last");
  }

  @Test
  void deadLettersCanBeRequeuedAllAtOnceAndDeleted() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(2));
    Set<String> failing = ConcurrentHashMap.newKeySet();
    failing.addAll(List.of("x1", "x2", "x3"));
    List<String> seen = new CopyOnWriteArrayList<>();
    for (String p : List.of("x1", "x2", "x3", "ok")) {
      publish(p, p);
    }
    sub("g", e -> {
      seen.add(text(e));
      if (failing.contains(text(e))) {
        throw new IllegalStateException("no");
      }
    }, Await.fast().maxAttempts(1).build());
    Await.until("three dead", () -> topics.deadLetters("t", "g", 10).size() == 3);
    UUID deleted = topics.deadLetters("t", "g", 10).get(0).id();
    assertThat(topics.deleteDeadLetter("t", "g", deleted)).isTrue();
    assertThat(topics.deleteDeadLetter("t", "g", deleted)).isFalse();
    failing.clear();
    assertThat(topics.requeueAll("t", "g")).isEqualTo(2);
    Await.until("two requeued events handled", () -> seen.size() == 6);
    assertThat(topics.deadLetters("t", "g", 10)).isEmpty();
  }

  @Test
  void requeueAllRequeuesEachDeadLetterOnceWhileItsHandlerStillFails() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    int letters = 450; // several requeue pages
    for (int i = 0; i < letters; i++) {
      publish("k" + i, "p" + i);
    }
    AtomicInteger calls = new AtomicInteger();
    sub("g", e -> {
      calls.incrementAndGet();
      throw new IllegalStateException("always");
    }, Await.fast().maxAttempts(1).build());
    Await.until("all dead", () -> topics.deadLetterCount("t", "g") == letters);
    // The worker dead-letters again what each page requeued (under the same ids) before the next
    // page is read: each letter that was there at the start is requeued once, and the call ends.
    topics.onRequeuePage(soFar -> {
      assertThat(soFar).as("letters requeued so far").isLessThanOrEqualTo(letters);
      Await.until("page " + soFar + " handled and dead again",
          () -> calls.get() == letters + soFar && topics.lag("t", "g").get(0).requeued() == 0
              && topics.deadLetterCount("t", "g") == letters);
    });
    assertThat(topics.requeueAll("t", "g")).isEqualTo(letters);
    Await.until("every requeued letter handled and dead again",
        () -> calls.get() == 2 * letters && topics.deadLetterCount("t", "g") == letters);
  }

  @Test
  void anUndecodableEventIsDeadLetteredWithoutStoppingThePartition() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    publish("k", "before");
    // Corrupt stored bytes at the next position, as a bug or a foreign writer might.
    tito.inTransaction(tx -> {
      tx.set(tito.root().pack("q", "t", 0, "log", 1L), new byte[] {(byte) 0xEE, 1, 2});
      tx.set(tito.root().pack("q", "t", 0, "seq"), Tuple.of(2L).pack());
    });
    publish("k", "after");
    List<String> seen = new CopyOnWriteArrayList<>();
    sub("g", e -> seen.add(text(e)), Await.fast().build());
    Await.until("after delivered", () -> seen.contains("after"));
    assertThat(seen).containsExactly("before", "after");
    List<DeadLetter> dead = topics.deadLetters("t", "g", 10);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).event()).isNull();
    assertThat(dead.get(0).position()).isEqualTo(1);
    assertThat(dead.get(0).error()).contains("undecodable");
  }

  @Test
  void aTransactionalHandlerAppliesEffectsExactlyOnceEvenWhenAttemptsFail() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(3));
    for (int i = 0; i < 60; i++) {
      publish("k" + i, "e" + i);
    }
    byte[] total = tito.root().pack("test", "total");
    Set<UUID> failedOnce = ConcurrentHashMap.newKeySet();
    Subscription s = topics.subscribeTransactional("t", "g", (tx, e) -> {
      byte[] v = tx.get(total);
      long n = v == null ? 0 : Tuple.unpack(v).getLong(0);
      tx.set(total, Tuple.of(n + 1).pack());
      tx.set(tito.root().pack("test", "seen", e.id()), new byte[0]);
      if (failedOnce.add(e.id())) {
        throw new IllegalStateException("fail after writing, first attempt");
      }
    }, Await.fast().build());
    subs.add(s);
    Await.until("all consumed", () -> topics.lag("t", "g").stream().allMatch(l -> l.lag() == 0));
    long n = tito.read(tx -> Tuple.unpack(tx.get(total)).getLong(0));
    assertThat(n).isEqualTo(60);
    assertThat(failedOnce).hasSize(60);
  }

  @Test
  void anIdleWorkerIsWokenByALocalCommitWithoutPolling() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Subscription s = sub("g", e -> seen.add(text(e)),
        Await.fast().pollInterval(Duration.ofHours(1)).build());
    Await.until("partition owned", () -> s.ownedPartitions().contains(0));
    // The runner has looked once and now parks for up to an hour; only the wake-up can deliver.
    publish("k", "wake");
    Await.until("delivered", () -> seen.contains("wake"));
  }

  @Test
  void scheduledEventsAreDeliveredAtTheirDueTimeAndNotBefore() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    Topics timed = Tito.builder().engine(tito.engine()).clock(clock).build().topics();
    timed.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    Instant due = clock.instant().plusSeconds(30);
    timed.publish("t", Message.of("k", bytes("reminder")).deliverAt(due));
    timed.publish("t", Message.of("k", bytes("now")));
    List<String> seen = new CopyOnWriteArrayList<>();
    List<String> early = new CopyOnWriteArrayList<>();
    Subscription s = timed.subscribe("t", "g", e -> {
      if (e.deliverAt() != null && clock.instant().isBefore(e.deliverAt())) {
        early.add(text(e));
      }
      seen.add(text(e));
    }, Await.fast().build());
    subs.add(s);
    Await.until("immediate delivered", () -> seen.contains("now"));
    clock.advance(Duration.ofSeconds(29));
    Await.until("a few polls", () -> timed.lag("t", "g").get(0).lag() == 0);
    assertThat(seen).containsExactly("now");
    clock.advance(Duration.ofSeconds(1));
    Await.until("reminder delivered", () -> seen.contains("reminder"));
    assertThat(early).isEmpty();
    assertThat(seen).containsExactly("now", "reminder");
  }

  @Test
  void eventsFallingDueDoNotHoldBackEventsAlreadyInTheLog() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    Topics timed = Tito.builder().engine(tito.engine()).clock(clock).build().topics();
    timed.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    timed.publish("t", Message.of("k", bytes("first")));
    for (int i = 0; i < 40; i++) {
      timed.publish("t", Message.of("k", bytes("due" + i)).deliverAt(clock.instant().plusSeconds(1)));
    }
    clock.advance(Duration.ofSeconds(2));
    List<Long> headWhenFirstHandled = new CopyOnWriteArrayList<>();
    List<String> seen = new CopyOnWriteArrayList<>();
    subs.add(timed.subscribe("t", "g", e -> {
      if (text(e).equals("first")) {
        headWhenFirstHandled.add(timed.head("t", 0));
      }
      seen.add(text(e));
    }, Await.fast().fetchSize(1).build()));
    Await.until("all delivered", () -> seen.size() >= 41);
    // One event moves into the log per round (fetch size 1); the event already there must be
    // handled in the first round, not after every due event has been moved.
    assertThat(headWhenFirstHandled).hasSize(1);
    assertThat(headWhenFirstHandled.get(0)).isLessThanOrEqualTo(3L);
    assertThat(seen.get(0)).isEqualTo("first");
  }
}
