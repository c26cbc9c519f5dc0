package io.tito.testkit.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tito.Tito;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.spi.Capability;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import io.tito.spi.Engine;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The delivery acceptance test: runs a {@link DeliveryScenario} (concurrent producers with
 * random delays, aborts, scheduled and poison events; four groups, two transactional, one
 * dead-lettering with a low max attempts and requeues; workers joining, leaving and crashing, and
 * one stalling past its lease) on one engine and checks the recorded history with {@link
 * HistoryChecker}: no loss, no phantom, per-partition order per group, nothing before its due
 * time, exactly-once for the transactional groups, fencing of the stalled worker, every event
 * handled or dead-lettered and behind the final checkpoint, requeued events delivered again. An
 * engine module runs it through a subclass:
 *
 * <pre>{@code
 * class MemoryDeliveryHistoryTest extends DeliveryHistoryTest {
 *   protected Engine createEngine() { return new MemoryEngine(); }
 * }
 * }</pre>
 *
 * Asserts nothing about timing; the timeout only bounds a hung run.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class DeliveryHistoryTest {

  /** A new, empty engine; the test closes it. */
  protected abstract Engine createEngine();

  /** The scenario's settings; engines that are slow per transaction may run a smaller one. */
  protected DeliveryScenario.Settings settings() {
    return DeliveryScenario.Settings.defaults();
  }

  /**
   * A second engine on the same store as {@code first}, standing in for another process, or null
   * if this engine cannot have one (then the cross-process test is skipped). The test closes it.
   */
  protected Engine openSameStore(Engine first) {
    return null;
  }

  @Test
  void aCommitInAnotherProcessWakesAnIdleWorker() throws Exception {
    try (Tito a = Tito.open(createEngine())) {
      Engine second = openSameStore(a.engine());
      assumeTrue(second != null, "no second engine on one store");
      try (Tito b = Tito.open(second)) {
        assumeTrue(second.capabilities().contains(Capability.CHANGE_NOTIFICATIONS),
            "engine declares no change notifications");
        Topics here = a.topics();
        Topics there = b.topics();
        here.createTopic("wake", TopicConfig.DEFAULTS.withPartitions(1));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        SubscribeOptions idle = SubscribeOptions.builder().pollInterval(Duration.ofHours(1))
            .heartbeatInterval(Duration.ofMillis(100)).leaseTimeout(Duration.ofSeconds(5)).build();
        try (Subscription s = there.subscribe("wake", "g",
            e -> got.add(new String(e.payload(), StandardCharsets.UTF_8)), idle)) {
          there.publish("wake", Message.of("k", "local".getBytes(StandardCharsets.UTF_8)));
          assertThat(got.poll(60, TimeUnit.SECONDS)).isEqualTo("local");
          // Now the worker parks for up to an hour: only the engine's notification can wake it.
          here.publish("wake", Message.of("k", "remote".getBytes(StandardCharsets.UTF_8)));
          assertThat(got.poll(60, TimeUnit.SECONDS)).isEqualTo("remote");
        }
      }
    }
  }

  @Test
  void historyOfConcurrentProducersAndChurningWorkersIsCorrect() throws Exception {
    DeliveryScenario.Settings settings = settings();
    try (Tito tito = Tito.open(createEngine())) {
      DeliveryScenario scenario = new DeliveryScenario(tito, settings);
      DeliveryScenario.Stats stats = scenario.run();
      List<String> violations = HistoryChecker.check(scenario.history());
      assertThat(violations).as("violations (seed %d, %s)", settings.seed(), stats).isEmpty();
      assertThat(stats.committed()).as("committed events").isPositive();
      assertThat(stats.aborted()).as("aborted events").isPositive();
      assertThat(stats.scheduled()).as("scheduled events").isPositive();
      assertThat(stats.closed()).as("workers closed").isPositive();
      assertThat(stats.crashed()).as("workers crashed").isPositive();
      assertThat(stats.deadLettered()).as("events dead-lettered").isPositive();
      assertThat(stats.requeued()).as("dead letters requeued").isPositive();
      assertThat(stats.leaseLosses()).as("workers that stalled past their lease")
          .isEqualTo(1);
    }
  }

  /**
   * Publishing one caller-chosen id from several threads at once, to different partitions,
   * commits one event: the id key is read and written by each publish, so the engine's write
   * conflicts leave one winner and the retried losers see it.
   */
  @Test
  void concurrentPublishesOfOneIdCommitOneEvent() throws Exception {
    try (Tito tito = Tito.open(createEngine())) {
      Topics topics = tito.topics();
      topics.createTopic("ids", TopicConfig.DEFAULTS.withPartitions(4));
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        for (int round = 0; round < 10; round++) {
          java.util.UUID id = java.util.UUID.randomUUID();
          java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
          List<java.util.concurrent.Future<io.tito.pubsub.PublishReceipt>> fs = new java.util.ArrayList<>();
          for (int i = 0; i < 4; i++) {
            String key = "k" + i;
            fs.add(pool.submit(() -> {
              go.await();
              return topics.publish("ids", Message.of(key, new byte[0]).withId(id));
            }));
          }
          go.countDown();
          List<io.tito.pubsub.PublishReceipt> receipts = new java.util.ArrayList<>();
          for (java.util.concurrent.Future<io.tito.pubsub.PublishReceipt> f : fs) {
            receipts.add(f.get());
          }
          assertThat(receipts).as("receipts of one id").allMatch(r -> r.equals(receipts.get(0)));
          long events = 0;
          for (int p = 0; p < 4; p++) {
            events += topics.head("ids", p);
          }
          assertThat(events).as("events after round %d", round).isEqualTo(round + 1);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
