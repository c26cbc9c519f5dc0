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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A plain per-event handler's checkpoint is committed for a run of handled events at once
 * ({@link SubscribeOptions#checkpointEvery}): a crash redelivers the uncommitted run and nothing
 * else, a failure checkpoints the run before it first, and a lost lease commits none of it.
 */
class CheckpointRunTest {

  /** Long enough that only the count, a failure or the worker's close ends a run in these tests. */
  private static final Duration NEVER = Duration.ofHours(1);

  private final Tito tito = Tito.open(new MemoryEngine());
  private final Topics topics = tito.topics();
  private final Keys keys = new Keys(tito.root());
  private final List<Subscription> subs = new ArrayList<>();

  @AfterEach
  void close() {
    subs.forEach(s -> s.close(Duration.ofSeconds(5)));
    tito.close();
  }

  private Subscription sub(EventHandler h, SubscribeOptions.Builder options) {
    Subscription s = topics.subscribe("t", "g", h, options.build());
    subs.add(s);
    return s;
  }

  private void publish(int n) {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    for (int i = 0; i < n; i++) {
      topics.publish("t", Message.of("k", ("e" + i).getBytes(StandardCharsets.UTF_8)));
    }
  }

  private GroupState state() {
    return tito.read(tx -> {
      byte[] v = tx.get(keys.state("t", "g", 0));
      return v == null ? null : GroupState.decode(v);
    });
  }

  private long checkpoint() {
    GroupState s = state();
    return s == null ? -1 : s.checkpoint();
  }

  @Test
  void aCrashMidRunRedeliversTheUncommittedRunOnlyAndSkipsNothing() throws Exception {
    publish(10);
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Subscription a = sub(e -> {
      if (e.position() == 9) {
        stuck.countDown();
        never.await();
      }
    }, Await.fast().checkpointEvery(4, NEVER));
    assertThat(stuck.await(30, TimeUnit.SECONDS)).isTrue();
    // Runs 0-3 and 4-7 were committed when full; 8 was handled, its run is still open.
    Await.until("two runs committed", () -> checkpoint() == 8);
    ((Worker) a).crash();
    assertThat(checkpoint()).as("the crash committed nothing more").isEqualTo(8);
    List<Long> redelivered = new CopyOnWriteArrayList<>();
    Subscription b = sub(e -> redelivered.add(e.position()), Await.fast().checkpointEvery(4, NEVER));
    Await.until("the rest delivered", () -> redelivered.contains(9L));
    assertThat(redelivered).as("from the uncommitted run on, nothing before it, nothing skipped")
        .containsExactly(8L, 9L);
    assertThat(b.close(Duration.ofSeconds(10))).isTrue();
    assertThat(checkpoint()).as("closing commits the open run").isEqualTo(10);
  }

  @Test
  void aFailureInARunCheckpointsTheSuccessesBeforeCountingTheFailure() {
    publish(6);
    Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
    List<GroupState> seenOnRetry = new CopyOnWriteArrayList<>();
    Subscription s = sub(e -> {
      int call = calls.computeIfAbsent(e.position(), p -> new AtomicInteger()).incrementAndGet();
      if (e.position() == 3) {
        if (call == 2) {
          seenOnRetry.add(state());
        }
        throw new IllegalStateException("always fails");
      }
    }, Await.fast().maxAttempts(3).checkpointEvery(100, NEVER));
    Await.until("the rest handled after the dead letter", () -> calls.containsKey(5L));
    assertThat(s.close(Duration.ofSeconds(10))).isTrue();
    assertThat(checkpoint()).isEqualTo(6);
    GroupState retry = seenOnRetry.get(0);
    assertThat(retry.checkpoint()).as("the successes before the failure are checkpointed").isEqualTo(3);
    assertThat(retry.attempts()).as("the failure counted after them, not undone by them").isEqualTo(1);
    assertThat(calls.get(3L).get()).as("max attempts exactly").isEqualTo(3);
    for (long p : new long[] {0, 1, 2, 4, 5}) {
      assertThat(calls.get(p).get()).as("position " + p + " handled once").isEqualTo(1);
    }
  }

  @Test
  void aWorkerThatLostItsLeaseCommitsNothingOfItsRun() throws Exception {
    publish(5);
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    Subscription a = sub(e -> {
      if (e.position() == 2) {
        inHandler.countDown();
        proceed.await();
      }
      handled.incrementAndGet();
    }, Await.fast().checkpointEvery(100, NEVER));
    assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(checkpoint()).as("the run of 0 and 1 is not committed yet").isZero();
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
    assertThat(handled.get()).isGreaterThanOrEqualTo(3);
    assertThat(checkpoint()).as("the fenced run commit did not advance").isZero();
    assertThat(state().epoch()).isEqualTo(lease().epoch());
    assertThat(lease().owner()).isEqualTo("thief");
  }

  @Test
  void checkpointEveryOneCommitsAfterEachEvent() throws Exception {
    publish(3);
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    sub(e -> {
      if (e.position() == 2) {
        stuck.countDown();
        proceed.await();
      }
    }, Await.fast().checkpointEvery(1, NEVER));
    assertThat(stuck.await(30, TimeUnit.SECONDS)).isTrue();
    Await.until("0 and 1 checkpointed one by one", () -> checkpoint() == 2);
    proceed.countDown();
    Await.until("all checkpointed", () -> checkpoint() == 3);
  }

  @Test
  void aSlowHandlersRunIsCheckpointedOnceTheDelayPassed() throws Exception {
    publish(3);
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    sub(e -> {
      if (e.position() == 2) {
        stuck.countDown();
        proceed.await();
      }
    }, Await.fast().checkpointEvery(100, Duration.ofNanos(1)));
    assertThat(stuck.await(30, TimeUnit.SECONDS)).isTrue();
    Await.until("the run before the slow call checkpointed", () -> checkpoint() == 2);
    proceed.countDown();
    Await.until("all checkpointed", () -> checkpoint() == 3);
  }

  @Test
  void anIdlePartitionCommitsItsOpenRunOnceTheDelayPassed() {
    publish(3);
    List<Long> seen = new CopyOnWriteArrayList<>();
    sub(e -> seen.add(e.position()), Await.fast().checkpointEvery(100, Duration.ofMillis(20)));
    Await.until("handled", () -> seen.size() == 3);
    Await.until("checkpointed without more events", () -> checkpoint() == 3);
  }

  /**
   * A handler call that times out after a requeued entry was handled in the same run: the fresh
   * runner that takes over checkpoints that run (removes the entry) before it records the
   * timeout, so the handled entry is not delivered again.
   */
  @Test
  void aTimeoutHandsTheOpenRunToTheFreshRunnerWhichCheckpointsIt() throws Exception {
    publish(2);
    AtomicBoolean requeued = new AtomicBoolean();
    AtomicBoolean hung = new AtomicBoolean();
    Map<Long, AtomicInteger> callsAfterRequeue = new ConcurrentHashMap<>();
    Subscription s = sub(e -> {
      if (!requeued.get()) {
        throw new IllegalStateException("dead-letter both");
      }
      callsAfterRequeue.computeIfAbsent(e.position(), p -> new AtomicInteger()).incrementAndGet();
      if (e.position() == 1 && hung.compareAndSet(false, true)) {
        new CountDownLatch(1).await(); // until the timeout interrupts it
      }
    }, Await.fast().maxAttempts(2).handlerTimeout(Duration.ofMillis(300))
        .checkpointEvery(100, NEVER));
    Await.until("both dead-lettered", () -> topics.deadLetters("t", "g", 10).size() == 2
        && checkpoint() == 2);
    requeued.set(true);
    assertThat(topics.requeueAll("t", "g")).isEqualTo(2);
    Await.until("the hung one retried and handled",
        () -> callsAfterRequeue.getOrDefault(1L, new AtomicInteger()).get() == 2);
    assertThat(s.close(Duration.ofSeconds(10))).isTrue();
    assertThat(callsAfterRequeue.get(0L).get()).as("the entry handled before the timeout, once")
        .isEqualTo(1);
  }

  private Lease lease() {
    return tito.read(tx -> Lease.decode(tx.get(keys.lease("t", "g", 0))));
  }
}
