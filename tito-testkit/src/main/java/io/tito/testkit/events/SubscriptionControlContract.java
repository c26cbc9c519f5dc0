package io.tito.testkit.events;

import static io.tito.testkit.events.EventStoreFixture.event;
import static io.tito.testkit.events.EventStoreFixture.n;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Stamp;
import io.tito.events.Delivery;
import io.tito.events.EventData;
import io.tito.events.EventFilter;
import io.tito.events.EventSubscriptionOptions;
import io.tito.events.EventSubscriptions;
import io.tito.events.ExpectedVersion;
import io.tito.events.RecordedEvent;
import io.tito.events.StaleDeliveryException;
import io.tito.events.StartAt;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.testing.PubSubTesting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Control of subscription groups: max in flight bounds the deliveries not yet acked; manual acks
 * after the handler returned, from another thread and in the caller's transaction (exactly once
 * in the store across a crash); what becomes of deliveries never acked (crash, handler timeout);
 * reset to the beginning, the end, a position or a time while a worker runs; delete.
 */
public interface SubscriptionControlContract extends EventStoreFixture {

  Duration WAIT = Duration.ofSeconds(60);
  SubscribeOptions CORE = SubscribeOptions.builder().maxAttempts(50)
      .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).pollInterval(Duration.ofMillis(20))
      .heartbeatInterval(Duration.ofMillis(100)).leaseTimeout(Duration.ofSeconds(2))
      .shutdownTimeout(Duration.ofSeconds(5)).build();
  EventSubscriptionOptions OPTIONS = EventSubscriptionOptions.DEFAULTS.withConsumer(CORE);

  private void appendNumbered(int from, int to) {
    for (int i = from; i <= to; i++) {
      events().append("c-" + (i % 3), ExpectedVersion.ANY, event("E", i));
    }
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().toList();
  }

  private static Delivery take(BlockingQueue<Delivery> q) throws InterruptedException {
    Delivery d = q.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (d == null) {
      throw new AssertionError("timed out waiting for a delivery");
    }
    return d;
  }

  @Test
  default void maxInFlightBoundsTheDeliveriesNotYetAcked() throws Exception {
    appendNumbered(1, 20);
    EventSubscriptions subs = events().subscriptions();
    BlockingQueue<Delivery> held = new LinkedBlockingQueue<>();
    AtomicInteger handed = new AtomicInteger();
    AtomicInteger acked = new AtomicInteger();
    AtomicInteger maxOutstanding = new AtomicInteger();
    List<Integer> got = Collections.synchronizedList(new ArrayList<>());
    List<Integer> probe = Collections.synchronizedList(new ArrayList<>());
    try (Subscription s = subs.subscribeManual("bp", OPTIONS.withMaxInFlight(5), d -> {
      int outstanding = handed.incrementAndGet() - acked.get();
      maxOutstanding.accumulateAndGet(outstanding, Math::max);
      got.add(n(d.event()));
      held.add(d); // acked later, by the test thread
    })) {
      List<Delivery> first = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        first.add(take(held));
      }
      // Give the worker every chance to fetch more: another group reads all twenty meanwhile.
      try (Subscription p = subs.subscribe("bp-probe", OPTIONS, e -> probe.add(n(e)))) {
        await(() -> probe.size() == 20, "probe group read everything");
      }
      assertThat(handed.get()).as("handed over while five are not acked").isEqualTo(5);
      assertThat(held).isEmpty();
      Collections.reverse(first);
      for (Delivery d : first) {
        acked.incrementAndGet();
        d.ack(); // after the handler returned, from another thread, in any order
      }
      while (acked.get() < 20) {
        Delivery d = take(held);
        acked.incrementAndGet();
        d.ack();
      }
      await(() -> subs.status("bp").caughtUp(), "bp caught up");
    }
    assertThat(got).containsExactlyElementsOf(range(1, 20));
    assertThat(maxOutstanding.get()).isEqualTo(5);
  }

  @Test
  default void lateAcksInTheCallersTransactionAreExactlyOnceAcrossACrash() throws Exception {
    appendNumbered(1, 3);
    EventSubscriptions subs = events().subscriptions();
    CountingProjection model = new CountingProjection(tito(), "acked-model", EventFilter.ALL);
    model.poison = false;
    model.strict = false; // the stale attempt below applies event 2 a second time (rolled back)
    BlockingQueue<Delivery> first = new LinkedBlockingQueue<>();
    Subscription a = subs.subscribeManual("late", OPTIONS, first::add);
    Delivery d1 = take(first);
    Delivery d2 = take(first);
    Delivery d3 = take(first);
    assertThat(List.of(n(d1.event()), n(d2.event()), n(d3.event()))).containsExactly(1, 2, 3);
    // Event 1 is acked with its effect in one transaction; 2 and 3 stay in hand when the worker dies.
    tito().inTransaction(tx -> {
      model.apply(tx, d1.event());
      d1.ack(tx);
    });
    PubSubTesting.crash(a);
    assertThatThrownBy(d2::ack).as("the crashed worker gave up on its batch").isInstanceOf(StaleDeliveryException.class);

    BlockingQueue<Delivery> second = new LinkedBlockingQueue<>();
    try (Subscription b = subs.subscribeManual("late", OPTIONS, second::add)) {
      Delivery again2 = take(second);
      Delivery again3 = take(second);
      assertThat(List.of(n(again2.event()), n(again3.event())))
          .as("handed over again, except the one acked in a committed transaction").containsExactly(2, 3);
      tito().inTransaction(tx -> {
        model.apply(tx, again2.event());
        again2.ack(tx);
      });
      // The dead worker's handle of 2 can no longer commit an effect: the event was acked.
      assertThatThrownBy(() -> tito().inTransaction(tx -> {
        model.apply(tx, d2.event());
        d2.ack(tx);
      })).isInstanceOf(StaleDeliveryException.class);
      again3.ack();
      await(() -> subs.status("late").caughtUp(), "late caught up");
      assertThat(second).isEmpty();
    }
    assertThat(model.read(tito())).containsOnly(java.util.Map.entry("c-1", "1/1/1"),
        java.util.Map.entry("c-2", "1/2/1"));
    assertThatThrownBy(() -> tito().inTransaction(tx -> d1.ack(tx))).isInstanceOf(StaleDeliveryException.class);
  }

  @Test
  default void aDeliveryNotAckedBeforeTheHandlerTimeoutIsHandedOverAgain() throws Exception {
    appendNumbered(1, 1);
    EventSubscriptions subs = events().subscriptions();
    BlockingQueue<Delivery> q = new LinkedBlockingQueue<>();
    EventSubscriptionOptions o = OPTIONS.withConsumer(CORE.toBuilder().handlerTimeout(Duration.ofSeconds(2)).build());
    try (Subscription s = subs.subscribeManual("slow", o, q::add)) {
      Delivery first = take(q);
      // The worker gives up on the first a tenth of the timeout before the core would (200 ms of
      // margin against descheduling on a loaded machine), then it is handed over again.
      Delivery second = take(q);
      assertThat(n(second.event())).isEqualTo(1);
      assertThatThrownBy(first::ack).isInstanceOf(StaleDeliveryException.class);
      assertThatThrownBy(() -> first.nack("late")).isInstanceOf(StaleDeliveryException.class);
      second.ack();
      await(() -> subs.status("slow").caughtUp(), "slow caught up");
      assertThat(subs.status("slow").attempts()).isZero();
    }
  }

  @Test
  default void resetMovesARunningGroupToTheBeginningTheEndAPositionOrATime() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<Stamp> positions = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      positions.add(events().append("r-" + (i % 2), ExpectedVersion.ANY,
          EventData.builder("E").json("{\"n\":" + i + "}").createdAt(t0.plusSeconds(i)).build()).firstPosition());
    }
    EventSubscriptions subs = events().subscriptions();
    List<Integer> got = Collections.synchronizedList(new ArrayList<>());
    try (Subscription s = subs.subscribe("reset", OPTIONS.withMaxInFlight(3), e -> got.add(n(e)))) {
      awaitIdle(subs, "reset");
      assertThat(got).containsExactlyElementsOf(range(1, 10));

      got.clear();
      subs.reset("reset", StartAt.BEGINNING);
      await(() -> got.size() >= 10 && subs.status("reset").caughtUp(), "replayed from the beginning");
      assertThat(got).containsExactlyElementsOf(range(1, 10));

      got.clear();
      subs.reset("reset", StartAt.after(positions.get(6)));
      await(() -> got.size() >= 3 && subs.status("reset").caughtUp(), "replayed after a position");
      assertThat(got).containsExactly(8, 9, 10);

      got.clear();
      subs.reset("reset", StartAt.time(t0.plusSeconds(5)));
      await(() -> got.size() >= 6 && subs.status("reset").caughtUp(), "replayed from a time");
      assertThat(got).containsExactlyElementsOf(range(5, 10));

      got.clear();
      subs.reset("reset", StartAt.BEGINNING);
      subs.reset("reset", StartAt.END);
      events().append("r-0", ExpectedVersion.ANY, event("E", 11));
      await(() -> !got.isEmpty() && subs.status("reset").caughtUp(), "went on from the end");
      assertThat(got).containsExactly(11);
    }
    assertThatThrownBy(() -> subs.reset("never-started", StartAt.BEGINNING)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> subs.reset("reset", null)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  default void aResetFencesTheBatchInHand() throws Exception {
    appendNumbered(1, 4);
    EventSubscriptions subs = events().subscriptions();
    BlockingQueue<Delivery> q = new LinkedBlockingQueue<>();
    try (Subscription s = subs.subscribeManual("fenced", OPTIONS.withMaxInFlight(2), q::add)) {
      Delivery a = take(q);
      Delivery b = take(q);
      assertThat(List.of(n(a.event()), n(b.event()))).containsExactly(1, 2);
      subs.reset("fenced", StartAt.after(b.event().position()));
      assertThatThrownBy(() -> tito().inTransaction(tx -> a.ack(tx))).isInstanceOf(StaleDeliveryException.class);
      a.ack();
      b.ack(); // the batch's commit is fenced: it cannot move the checkpoint over the reset
      List<Integer> next = new ArrayList<>();
      while (next.size() < 2) {
        Delivery d = take(q);
        next.add(n(d.event()));
        d.ack();
      }
      assertThat(next).containsExactly(3, 4);
      await(() -> subs.status("fenced").caughtUp(), "fenced caught up");
    }
  }

  @Test
  default void deleteRemovesTheGroupAndItsDeadLetters() {
    appendNumbered(1, 3);
    EventSubscriptions subs = events().subscriptions();
    List<Integer> got = Collections.synchronizedList(new ArrayList<>());
    EventSubscriptionOptions o = OPTIONS.withConsumer(CORE.toBuilder().maxAttempts(1).build());
    Subscription s = subs.subscribe("doomed", o, e -> {
      if (n(e) == 2) {
        throw new IllegalStateException("poison");
      }
      got.add(n(e));
    });
    try {
      await(() -> subs.status("doomed").caughtUp(), "doomed caught up");
      assertThat(subs.deadLetters("doomed", 10)).hasSize(1);
      assertThatThrownBy(() -> subs.delete("doomed")).as("a worker is live").isInstanceOf(InvalidArgumentException.class);
    } finally {
      s.close();
    }
    assertThat(subs.delete("doomed")).isTrue();
    assertThat(subs.delete("doomed")).isFalse();
    assertThatThrownBy(() -> subs.status("doomed")).isInstanceOf(NotFoundException.class);
    got.clear();
    try (Subscription again = subs.subscribe("doomed", OPTIONS, e -> got.add(n(e)))) {
      await(() -> got.size() == 3, "the new group read from the beginning");
      assertThat(subs.deadLetters("doomed", 10)).isEmpty();
    }
    assertThat(got).containsExactly(1, 2, 3);
  }

  private static void awaitIdle(EventSubscriptions subs, String group) {
    await(() -> subs.status(group).caughtUp(), group + " caught up");
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
