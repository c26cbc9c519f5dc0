package io.tito.testkit.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tito.Tito;
import io.tito.pubsub.testing.PubSubTesting;
import io.tito.pubsub.testing.PubSubTesting.PartitionLease;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker whose heartbeat stalls must stop handing events to its handler once its lease has
 * expired: otherwise, when another worker takes the partition, two handlers of one group run in
 * one partition at once (the delivery scenario's "overlap" violation, seen under heavy CPU load
 * when heartbeats come later than the lease timeout).
 *
 * <p>Found by the delivery history test's overlap check; the runner now checks its lease before
 * every handler call, not once per fetched batch. A worker may take the partition again under a
 * new lease (a new epoch of its own) once its old one expired, if it is faster than the other
 * worker; its calls then are legitimate and count as handled. Any other call after the expiry is
 * a violation, whoever holds the lease by then.
 *
 * <p>The events are published before the stalling worker subscribes, and the other worker joins
 * only once the stalling handler holds position 0: the stalling worker's store runs on another
 * engine object than the publishing one, so (like another process whose notification was lost)
 * the publishes would not wake its runner, which then found them only at its fallback read a
 * minute later. Every wait ends in success or in a failure that names the state it saw.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExpiredLeaseHandlerCallTest {

  /** The longest any step waits for the state it expects; well inside the test's timeout. */
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aWorkerWhoseHeartbeatStallsStopsCallingItsHandlerWhenItsLeaseExpires() throws Exception {
    SubscribeOptions options = SubscribeOptions.builder().pollInterval(Duration.ofMillis(20))
        .heartbeatInterval(Duration.ofMillis(50)).leaseTimeout(Duration.ofMillis(300))
        .backoff(Duration.ofMillis(1), Duration.ofMillis(10)).build();
    try (Tito tito = Tito.open(new MemoryEngine())) {
      Topics topics = tito.topics();
      topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
      for (int i = 0; i < 5; i++) {
        topics.publish("t", Message.of("k", new byte[] {(byte) i}));
      }
      HeartbeatPausingEngine pausing = new HeartbeatPausingEngine(tito.engine(),
          PubSubTesting.membersRange(tito, "t", "g"));
      Set<Long> handledByOther = ConcurrentHashMap.newKeySet();
      Set<Long> handledAgain = ConcurrentHashMap.newKeySet();
      List<String> afterExpiry = new CopyOnWriteArrayList<>();
      List<String> problems = new CopyOnWriteArrayList<>();
      AtomicLong stalledAt = new AtomicLong(-1);
      AtomicReference<PartitionLease> stalledUnder = new AtomicReference<>();
      AtomicLong expiredAt = new AtomicLong(-1);
      AtomicLong expiredEpoch = new AtomicLong(-1);
      try (Tito stallTito = Tito.builder().engine(pausing).root(tito.root()).build()) {
        Subscription stalling = stallTito.topics().subscribe("t", "g", e -> {
          if (expiredAt.get() >= 0) {
            PartitionLease now = PubSubTesting.lease(tito, "t", "g", 0);
            if (now.epoch() != expiredEpoch.get()
                && now.owner() != null && now.owner().equals(stalledUnder.get().owner())) {
              handledAgain.add(e.position()); // under a lease it took again, a new epoch
              return;
            }
            afterExpiry.add("position " + e.position() + " handed over "
                + (System.currentTimeMillis() - expiredAt.get()) + " ms after the lease of epoch "
                + expiredEpoch.get() + " expired; lease now " + now);
            return;
          }
          pausing.pause();
          PartitionLease own = PubSubTesting.lease(tito, "t", "g", 0);
          // The other worker joins only now: this lease is this worker's.
          stalledUnder.set(own);
          stalledAt.set(e.position());
          long deadline = System.nanoTime() + WAIT.toNanos();
          // Until this worker's lease has expired, or (on a slow machine, before this loop saw
          // the expiry) the other worker has already taken it under a new epoch.
          while (own.expiryMillis() > System.currentTimeMillis()) {
            if (System.nanoTime() > deadline) {
              problems.add("the lease did not expire within " + WAIT
                  + " of the heartbeat stalling: " + own);
              return;
            }
            Thread.sleep(5);
            PartitionLease now = PubSubTesting.lease(tito, "t", "g", 0);
            if (now.epoch() != own.epoch()) {
              break;
            }
            own = now;
          }
          expiredEpoch.set(own.epoch());
          expiredAt.set(own.expiryMillis());
        }, options);
        Supplier<String> state = () -> "stalled at position " + stalledAt.get() + " under "
            + stalledUnder.get() + ", lease epoch " + expiredEpoch.get() + " expired at "
            + expiredAt.get() + "; handled by the other worker " + new TreeSet<>(handledByOther)
            + ", again under a new epoch " + new TreeSet<>(handledAgain) + "; problems "
            + problems + "; lease now " + PubSubTesting.lease(tito, "t", "g", 0) + "; "
            + topics.groupStatus("t", "g") + "; members " + topics.members("t", "g")
            + "; the stalling worker " + stalling.workerId() + " owns "
            + stalling.ownedPartitions();
        try {
          awaitOrFail("the stalling handler to hold the first event",
              () -> stalledAt.get() >= 0 || !problems.isEmpty(), state);
          assertThat(stalledAt.get()).as("the first event handed to the stalling worker").isZero();
          try (Subscription other = topics.subscribe("t", "g",
              e -> handledByOther.add(e.position()), options)) {
            // The stalled call's own event counts: its checkpoint may commit before the other
            // worker takes the partition, which then starts after it.
            awaitOrFail("every event to be handled, or a call after the lease expired",
                () -> !afterExpiry.isEmpty() || !problems.isEmpty()
                    || handled(handledByOther, handledAgain, stalledAt.get())
                        .containsAll(Set.of(0L, 1L, 2L, 3L, 4L)),
                () -> state.get() + "; the other worker " + other.workerId() + " owns "
                    + other.ownedPartitions());
            assertThat(problems).as("problems").isEmpty();
            assertThat(afterExpiry).as("handler calls after the lease expired").isEmpty();
          }
        } finally {
          pausing.resume();
          stalling.close();
        }
      }
    }
  }

  /** Waits until {@code done}; fails naming {@code what} and the {@code state} seen after {@link #WAIT}. */
  private static void awaitOrFail(String what, BooleanSupplier done, Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("waited " + WAIT + " for " + what + "; " + state.get());
      }
      Thread.sleep(10);
    }
  }

  private static Set<Long> handled(Set<Long> a, Set<Long> b, long stalled) {
    Set<Long> all = new java.util.HashSet<>(a);
    all.addAll(b);
    all.add(stalled);
    return all;
  }
}
