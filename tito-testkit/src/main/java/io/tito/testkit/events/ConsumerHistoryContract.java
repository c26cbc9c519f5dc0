package io.tito.testkit.events;

import static io.tito.testkit.events.EventStoreFixture.event;
import static io.tito.testkit.events.EventStoreFixture.n;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Stamp;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.events.EventFilter;
import io.tito.events.EventStore;
import io.tito.events.EventSubscriptionOptions;
import io.tito.events.ExpectedVersion;
import io.tito.events.Projections;
import io.tito.events.RecordedEvent;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.testing.PubSubTesting;
import io.tito.testkit.pubsub.HeartbeatPausingEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A history checker for projections and subscriptions: writers append to many streams while
 * runners of one projection and workers of two subscription groups are started, crashed (nothing
 * released, leases expire) and, once, stalled past their lease (a runner whose heartbeat is held
 * while another takes its lease, and which then tries to commit). At the end it checks the
 * history: no event lost, per-stream order, and for the projection and the transactional group
 * exactly-once effects in the store (a late commit of the stalled runner would show as a
 * duplicate).
 */
public interface ConsumerHistoryContract extends EventStoreFixture {

  SubscribeOptions CHURN = SubscribeOptions.builder().maxAttempts(1_000)
      .backoff(Duration.ofMillis(1), Duration.ofMillis(10)).pollInterval(Duration.ofMillis(20))
      .heartbeatInterval(Duration.ofMillis(100)).leaseTimeout(Duration.ofMillis(800))
      .shutdownTimeout(Duration.ofSeconds(10)).fetchSize(7).build();

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  default void projectionsAndSubscriptionsSurviveCrashesAndLeaseLoss() throws Exception {
    Tito tito = tito();
    String projectionGroup = "projection:history";
    HeartbeatPausingEngine stallEngine = new HeartbeatPausingEngine(tito.engine(),
        PubSubTesting.membersRange(tito, "$events", projectionGroup));
    Tito stallTito = Tito.builder().engine(stallEngine).root(tito.root())
        .retryPolicy(tito.retryPolicy()).with(EventStore.builder()).build();
    List<Subscription> running = new ArrayList<>();
    try {
      int writers = 3;
      int perWriter = 60;
      AtomicBoolean stalled = new AtomicBoolean();
      AtomicLong lateCommits = new AtomicLong();
      // The stalling runner: its first apply holds its heartbeat until another runner took the
      // lease, then returns; its transaction must be refused.
      CountingProjection stalling = new CountingProjection(stallTito, "history", EventFilter.ALL) {
        @Override
        public void apply(Transaction tx, RecordedEvent e) {
          if (stalled.compareAndSet(false, true)) {
            long epoch = PubSubTesting.lease(tito, "$events", projectionGroup, 0).epoch();
            stallEngine.pause();
            try {
              long deadline = System.nanoTime() + 30_000_000_000L;
              while (PubSubTesting.lease(tito, "$events", projectionGroup, 0).epoch() <= epoch
                  && System.nanoTime() < deadline) {
                sleep(5);
              }
            } finally {
              stallEngine.resume();
            }
            lateCommits.incrementAndGet();
          }
          super.apply(tx, e);
        }
      };
      CountingProjection projection = new CountingProjection(tito, "history", EventFilter.ALL);
      Projections projections = events().projections();
      // An event there before the stalling runner starts: its first fetch finds it (its store
      // handle's engine wrapper is not woken by appends made through the shared one).
      events().append("acct-first", ExpectedVersion.NO_STREAM, event("Deposited", 0));
      Subscription stallingRunner = stallTito.module(EventStore.class).projections().start(stalling, CHURN);
      ConcurrentLinkedQueue<String> delivered = new ConcurrentLinkedQueue<>();
      EventSubscriptionOptions subOptions = EventSubscriptionOptions.DEFAULTS.withConsumer(CHURN).withMaxInFlight(5);
      CountingProjection txEffects = new CountingProjection(tito, "tx-group", EventFilter.ALL);
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        threads.add(Thread.ofVirtual().start(() -> {
          for (int i = 0; i < perWriter; i++) {
            events().append("acct-" + writer + "-" + (i % 4), ExpectedVersion.ANY, event("Deposited", i));
          }
        }));
      }
      long stallDeadline = System.nanoTime() + 30_000_000_000L;
      while (!stalled.get() && System.nanoTime() < stallDeadline) {
        sleep(2); // the stalling runner, alone so far, holds the lease and stalls on the first event
      }
      Random random = new Random(42);
      for (int round = 0; round < 15; round++) {
        switch (round % 3) {
          case 0 -> running.add(projections.start(projection, CHURN));
          case 1 -> running.add(events().subscriptions().subscribe("auto", subOptions,
              e -> delivered.add(e.streamId() + "#" + e.version())));
          default -> running.add(events().subscriptions().subscribeTransactional("tx", subOptions, txEffects::apply));
        }
        sleep(30 + random.nextInt(60));
        if (running.size() < 4) {
          continue; // a few workers at a time: enough to fight over leases, few enough for slow engines
        }
        Subscription victim = running.remove(random.nextInt(running.size()));
        if (random.nextBoolean()) {
          crash(victim);
        } else {
          victim.close();
        }
      }
      for (Thread t : threads) {
        t.join();
      }
      Stamp head = events().headPosition();
      running.add(projections.start(projection, CHURN));
      running.add(events().subscriptions().subscribe("auto", subOptions,
          e -> delivered.add(e.streamId() + "#" + e.version())));
      running.add(events().subscriptions().subscribeTransactional("tx", subOptions, txEffects::apply));
      awaitCaughtUp(() -> projections.status("history"), head);
      awaitCaughtUp(() -> events().subscriptions().status("auto"), head);
      awaitCaughtUp(() -> events().subscriptions().status("tx"), head);
      for (Subscription s : running) {
        s.close();
      }
      running.clear();
      stallingRunner.close();

      Map<String, Long> versions = new HashMap<>();
      Map<String, Long> sums = new HashMap<>();
      for (RecordedEvent e : readAll()) {
        versions.merge(e.streamId(), 1L, Long::sum);
        sums.merge(e.streamId(), (long) n(e), Long::sum);
      }
      assertThat(versions.values().stream().mapToLong(Long::longValue).sum()).isEqualTo((long) writers * perWriter + 1);
      Map<String, String> expected = new HashMap<>();
      versions.forEach((s, v) -> expected.put(s, v + "/" + sums.get(s) + "/" + v));
      // Exactly once in the store: counts, sums and last versions match the streams.
      assertThat(projection.read(tito)).isEqualTo(expected);
      assertThat(txEffects.read(tito)).isEqualTo(expected);
      assertThat(projections.deadLetters("history", 10)).isEmpty();
      assertThat(events().subscriptions().deadLetters("tx", 10)).isEmpty();
      assertThat(lateCommits.get()).as("the stalled runner got to its late commit").isEqualTo(1);
      // At least once, in per-stream order, nothing lost: first deliveries are versions 1, 2, ...
      Map<String, Long> next = new HashMap<>();
      for (String d : delivered) {
        String stream = d.substring(0, d.indexOf('#'));
        long v = Long.parseLong(d.substring(d.indexOf('#') + 1));
        long want = next.getOrDefault(stream, 1L);
        assertThat(v).as("delivery %s", d).isLessThanOrEqualTo(want);
        if (v == want) {
          next.put(stream, want + 1);
        }
      }
      versions.forEach((s, v) -> assertThat(next.get(s)).as("stream %s delivered up to", s).isEqualTo(v + 1));
    } finally {
      for (Subscription s : running) {
        crash(s);
      }
      stallEngine.resume();
      stallTito.close();
    }
  }

  private List<RecordedEvent> readAll() {
    List<RecordedEvent> out = new ArrayList<>();
    Stamp from = Stamp.ZERO;
    while (true) {
      var slice = events().readAll(from, 1000, EventFilter.ALL);
      out.addAll(slice.events());
      from = slice.lastPosition();
      if (slice.isEnd()) {
        return out;
      }
    }
  }

  private static void crash(Subscription s) {
    PubSubTesting.crash(s);
  }

  private static void awaitCaughtUp(java.util.function.Supplier<io.tito.events.ProjectionStatus> status, Stamp head) {
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (status.get().position().compareTo(head) < 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("did not catch up to " + head + ": " + status.get());
      }
      sleep(10);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
