package io.tito.testkit.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * new lease (a new epoch) once its old one expired, if it is faster than the other worker (seen
 * on a loaded machine); its calls then are legitimate and count as handled.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExpiredLeaseHandlerCallTest {

  @Test
  void aWorkerWhoseHeartbeatStallsStopsCallingItsHandlerWhenItsLeaseExpires() throws Exception {
    SubscribeOptions options = SubscribeOptions.builder().pollInterval(Duration.ofMillis(20))
        .heartbeatInterval(Duration.ofMillis(50)).leaseTimeout(Duration.ofMillis(300))
        .backoff(Duration.ofMillis(1), Duration.ofMillis(10)).build();
    try (Tito tito = Tito.open(new MemoryEngine())) {
      Topics topics = tito.topics();
      topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
      HeartbeatPausingEngine pausing = new HeartbeatPausingEngine(tito.engine(),
          PubSubTesting.membersRange(tito, "t", "g"));
      Set<Long> handledByOther = ConcurrentHashMap.newKeySet();
      Set<Long> handledAgain = ConcurrentHashMap.newKeySet();
      List<String> afterExpiry = new CopyOnWriteArrayList<>();
      AtomicLong expiredAt = new AtomicLong(-1);
      AtomicLong expiredEpoch = new AtomicLong(-1);
      try (Tito stallTito = Tito.builder().engine(pausing).root(tito.root()).build()) {
        Subscription stalling = stallTito.topics().subscribe("t", "g", e -> {
          if (expiredAt.get() >= 0) {
            if (PubSubTesting.lease(tito, "t", "g", 0).epoch() != expiredEpoch.get()) {
              handledAgain.add(e.position()); // under a lease taken again, a new epoch
              return;
            }
            afterExpiry.add("position " + e.position() + " handed over "
                + (System.currentTimeMillis() - expiredAt.get()) + " ms after the lease expired");
            return;
          }
          pausing.pause();
          PartitionLease own = PubSubTesting.lease(tito, "t", "g", 0);
          // Until this worker's lease has expired, or (on a slow machine, before this loop saw
          // the expiry) the other worker has already taken it under a new epoch.
          while (own.expiryMillis() > System.currentTimeMillis()) {
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
        for (int i = 0; i < 5; i++) {
          topics.publish("t", Message.of("k", new byte[] {(byte) i}));
        }
        try (Subscription other = topics.subscribe("t", "g",
            e -> handledByOther.add(e.position()), options)) {
          while (!handled(handledByOther, handledAgain).containsAll(Set.of(1L, 2L, 3L, 4L))
              && afterExpiry.isEmpty()) {
            Thread.sleep(10);
          }
          assertThat(afterExpiry).as("handler calls after the lease expired").isEmpty();
        } finally {
          pausing.resume();
          stalling.close();
        }
      }
    }
  }

  private static Set<Long> handled(Set<Long> a, Set<Long> b) {
    Set<Long> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
