package io.tito.testkit.events;

import static io.tito.testkit.events.EventStoreFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.Stamp;
import io.tito.events.EventFilter;
import io.tito.events.EventSubscriptionOptions;
import io.tito.events.EventSubscriptions;
import io.tito.events.ExpectedVersion;
import io.tito.events.RecordedEvent;
import io.tito.events.StartAt;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions: consumer groups over {@code $all} with their own checkpoints, filters by type
 * and stream prefix, automatic, transactional and manual ack (nack retries, dead letters at the
 * max attempts), the four start positions, and one active worker per group.
 */
public interface SubscriptionContract extends EventStoreFixture {

  Duration WAIT = Duration.ofSeconds(60);
  EventSubscriptionOptions QUICK = EventSubscriptionOptions.DEFAULTS.withConsumer(
      SubscribeOptions.builder().maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(5))
          .pollInterval(Duration.ofMillis(20)).heartbeatInterval(Duration.ofMillis(100))
          .leaseTimeout(Duration.ofSeconds(2)).build());

  private List<String> appendMixed() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String stream = (i % 3 == 0 ? "order-" : "user-") + (i % 2);
      String type = i % 4 == 0 ? "Created" : "Changed";
      events().append(stream, ExpectedVersion.ANY, event(type, i));
      all.add(stream + ":" + type + ":" + i);
    }
    return all;
  }

  private static String describe(RecordedEvent e) {
    return e.streamId() + ":" + e.type() + ":" + EventStoreFixture.n(e);
  }

  @Test
  default void groupsEachGetEveryEventAndFiltersSelect() {
    List<String> all = appendMixed();
    EventSubscriptions subs = events().subscriptions();
    List<String> a = Collections.synchronizedList(new ArrayList<>());
    List<String> b = Collections.synchronizedList(new ArrayList<>());
    List<String> filtered = Collections.synchronizedList(new ArrayList<>());
    try (Subscription s1 = subs.subscribe("a", QUICK, e -> a.add(describe(e)));
         Subscription s2 = subs.subscribe("b", QUICK.withMaxInFlight(2), e -> b.add(describe(e)));
         Subscription s3 = subs.subscribe("f", QUICK.withFilter(
             EventFilter.types("Created").andStreamPrefix("order-")), e -> filtered.add(describe(e)))) {
      await(() -> a.size() == 12 && b.size() == 12 && subs.status("f").caughtUp(), "groups caught up");
    }
    assertThat(a).containsExactlyElementsOf(all);
    assertThat(b).containsExactlyElementsOf(all);
    assertThat(filtered).containsExactlyElementsOf(
        all.stream().filter(s -> s.startsWith("order-") && s.contains(":Created:")).toList()).isNotEmpty();
  }

  @Test
  default void manualAckRetriesNackedEventsAndDeadLettersAtTheMax() {
    appendMixed();
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    List<String> acked = Collections.synchronizedList(new ArrayList<>());
    EventSubscriptions subs = events().subscriptions();
    try (Subscription s = subs.subscribeManual("manual", QUICK, d -> {
      String id = describe(d.event());
      int times = seen.merge(id, 1, Integer::sum);
      if (EventStoreFixture.n(d.event()) == 5 && times == 1) {
        d.nack("first try fails");
      } else if (EventStoreFixture.n(d.event()) == 7) {
        d.nack("refused every time");            // dead-lettered after 3 attempts
      } else {
        d.ack();
        acked.add(id);
      }
    })) {
      await(() -> subs.status("manual").caughtUp(), "manual group caught up");
    }
    assertThat(acked.stream().distinct().count()).isEqualTo(11);
    assertThat(seen.entrySet().stream().filter(e -> e.getKey().endsWith(":5")).findFirst().orElseThrow().getValue())
        .isEqualTo(2);
    var dead = subs.deadLetters("manual", 10);
    assertThat(dead).hasSize(1);
    assertThat(EventStoreFixture.n(dead.get(0).event())).isEqualTo(7);
    assertThat(dead.get(0).attempts()).isEqualTo(3);
    assertThat(dead.get(0).error()).contains("refused every time");
  }

  @Test
  default void transactionalAckCommitsWithTheHandlersWrites() {
    appendMixed();
    CountingProjection effects = new CountingProjection(tito(), "sub-effects", EventFilter.ALL);
    effects.poison = false;
    EventSubscriptions subs = events().subscriptions();
    try (Subscription s = subs.subscribeTransactional("tx", QUICK, effects::apply)) {
      await(() -> subs.status("tx").caughtUp(), "tx group caught up");
    }
    assertThat(effects.read(tito()).values().stream().mapToLong(v -> Long.parseLong(v.split("/")[0])).sum())
        .isEqualTo(12);
  }

  @Test
  default void startsAtTheBeginningTheEndAPositionOrATime() {
    List<String> all = appendMixed();
    EventSubscriptions subs = events().subscriptions();
    List<RecordedEvent> history = events().readAll(Stamp.ZERO, 100, EventFilter.ALL).events();
    Stamp fourth = history.get(3).position();
    RecordedEvent sixth = history.get(5);
    int firstAtTime = 0;
    while (history.get(firstAtTime).createdAt().isBefore(sixth.createdAt())) {
      firstAtTime++;
    }
    Map<String, List<String>> got = new ConcurrentHashMap<>();
    List<Subscription> running = new ArrayList<>();
    try {
      for (var e : Map.of("begin", StartAt.BEGINNING, "end", StartAt.END, "after", StartAt.after(fourth),
          "time", StartAt.time(sixth.createdAt())).entrySet()) {
        List<String> list = Collections.synchronizedList(new ArrayList<>());
        got.put(e.getKey(), list);
        running.add(subs.subscribe(e.getKey(), QUICK.withStart(e.getValue()), ev -> list.add(describe(ev))));
      }
      events().append("late-1", ExpectedVersion.ANY, event("Late", 99));
      await(() -> got.values().stream().allMatch(l -> !l.isEmpty() && l.get(l.size() - 1).startsWith("late-1")),
          "every group saw the late event");
    } finally {
      running.forEach(Subscription::close);
    }
    List<String> withLate = new ArrayList<>(all);
    withLate.add("late-1:Late:99");
    assertThat(got.get("begin")).containsExactlyElementsOf(withLate);
    assertThat(got.get("end")).containsExactly("late-1:Late:99");
    assertThat(got.get("after")).containsExactlyElementsOf(withLate.subList(4, withLate.size()));
    assertThat(got.get("time")).containsExactlyElementsOf(withLate.subList(firstAtTime, withLate.size()));
  }

  @Test
  default void oneActiveWorkerPerGroup() {
    appendMixed();
    EventSubscriptions subs = events().subscriptions();
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    try (Subscription w1 = subs.subscribe("pair", QUICK, e -> got.add(describe(e)));
         Subscription w2 = subs.subscribe("pair", QUICK, e -> got.add(describe(e)))) {
      await(() -> subs.status("pair").caughtUp(), "pair caught up");
      assertThat(w1.ownedPartitions().size() + w2.ownedPartitions().size()).isLessThanOrEqualTo(1);
    }
    assertThat(got).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  default void badOptionsAreRefused() {
    assertThatThrownBy(() -> QUICK.withMaxInFlight(0)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> StartAt.after(null)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> events().subscriptions().subscribe("", QUICK, e -> {}))
        .isInstanceOf(InvalidArgumentException.class);
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
