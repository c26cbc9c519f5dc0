package io.tito.testkit.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Event;
import io.tito.pubsub.PartitionLag;
import io.tito.pubsub.Topics;
import io.tito.spi.Engine;
import io.tito.testkit.pubsub.DeliveryHistory.Delivery;
import io.tito.testkit.pubsub.DeliveryHistory.LateCommit;
import io.tito.testkit.pubsub.DeliveryHistory.Published;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The checker catches broken histories, and broken consumers and publishers through the whole
 * scenario: each fault, injected in the store ({@link FaultInjectingEngine}) or in the scenario's
 * handlers, makes the checker report its kind of violation, while the same run with the fault
 * switched off passes.
 */
class HistoryCheckerSelfTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private final DeliveryHistory h = new DeliveryHistory(2);
  private final String key = "k";
  private final int p = Topics.partitionOf(key, 2);

  private Published publish(Instant deliverAt) {
    Published pub = new Published(UUID.randomUUID(), key, p, deliverAt);
    h.committed(pub);
    return pub;
  }

  private void deliver(String group, Published pub, long position, Instant at) {
    deliver(group, pub, position, at, false);
  }

  private void deliver(String group, Published pub, long position, Instant at, boolean failed) {
    h.delivered(group, new Event("t", pub.partition(), position, pub.id(), pub.key(), new byte[0],
        Map.of(), T, pub.deliverAt()), at, failed);
  }

  private void commit(String group, Published pub, long position, long epoch) {
    h.delivered(new Delivery(group, pub.id(), p, position, T, null, false, epoch));
  }

  @Test
  void aCorrectHistoryPasses() {
    h.group("g", false);
    h.group("x", true);
    h.maxAttempts("g", 2);
    Published a = publish(null);
    Published b = publish(T.plusSeconds(5));
    Published c = publish(null);
    deliver("g", a, 0, T);
    deliver("g", a, 0, T);
    deliver("g", b, 1, T.plusSeconds(5), true);
    deliver("g", b, 1, T.plusSeconds(6), true);
    deliver("g", c, 2, T.plusSeconds(7));
    h.requeued("g", b.id(), T.plusSeconds(8));
    deliver("g", b, 1, T.plusSeconds(9), true);
    deliver("g", b, 1, T.plusSeconds(10), true);
    h.deadLetters("g", Set.of(b.id()));
    commit("x", a, 0, 1);
    commit("x", b, 1, 2);
    commit("x", c, 2, 2);
    h.storedEffects("x", Map.of(a.id(), 1L, b.id(), 1L, c.id(), 1L));
    h.finalLag("g", List.of(new PartitionLag(p, 3, 3, 0, 0)));
    assertThat(HistoryChecker.check(h)).isEmpty();
  }

  @Test
  void catchesLossPhantomsReorderingEarlyDeliveryAndDuplicates() {
    h.group("g", false);
    h.group("x", true);
    Published a = publish(null);
    Published b = publish(T.plusSeconds(5));
    Published c = publish(null);
    UUID abortedId = UUID.randomUUID();
    h.aborted(abortedId);
    deliver("g", a, 0, T);
    deliver("g", c, 2, T);
    deliver("g", b, 1, T);
    h.delivered("g", new Event("t", p, 3, abortedId, key, new byte[0], Map.of(), T, null), T);
    deliver("x", a, 0, T);
    deliver("x", a, 0, T);
    h.storedEffects("x", Map.of(a.id(), 2L));
    h.handlerStarted("g", p);
    h.handlerStarted("g", p);
    List<String> v = HistoryChecker.check(h);
    assertThat(v).anyMatch(s -> s.startsWith("order: g"));
    assertThat(v).anyMatch(s -> s.startsWith("early:"));
    assertThat(v).anyMatch(s -> s.startsWith("phantom:") && s.contains("aborted"));
    assertThat(v).anyMatch(s -> s.startsWith("lost: x"));
    assertThat(v).anyMatch(s -> s.startsWith("duplicate: x"));
    assertThat(v).anyMatch(s -> s.startsWith("effects: x"));
    assertThat(v).anyMatch(s -> s.startsWith("order: x"));
    assertThat(v).anyMatch(s -> s.startsWith("overlap: g"));
  }

  @Test
  void catchesMishandledDeadLettersRequeuesAndCheckpoints() {
    h.group("g", false);
    h.maxAttempts("g", 3);
    Published failedOnly = publish(null);
    Published deadTooSoon = publish(null);
    Published deadUnfailed = publish(null);
    Published requeued = publish(null);
    deliver("g", failedOnly, 0, T, true);
    deliver("g", deadTooSoon, 1, T, true);
    deliver("g", deadUnfailed, 2, T);
    deliver("g", requeued, 3, T, true);
    h.requeued("g", requeued.id(), T.plusSeconds(1));
    h.deadLetters("g", Set.of(deadTooSoon.id(), deadUnfailed.id(), requeued.id(),
        UUID.randomUUID()));
    h.finalLag("g", List.of(new PartitionLag(p, 4, 3, 1, 1)));
    List<String> v = HistoryChecker.check(h);
    assertThat(v).anyMatch(s -> s.startsWith("dropped: g") && s.contains(failedOnly.id() + ""));
    assertThat(v).anyMatch(s -> s.startsWith("attempts: g") && s.contains(deadTooSoon.id() + ""));
    assertThat(v).anyMatch(s -> s.startsWith("dead-letter: g")
        && s.contains(deadUnfailed.id() + ""));
    assertThat(v).anyMatch(s -> s.startsWith("dead-letter: g") && s.contains(requeued.id() + "")
        && s.contains("since its requeue"));
    assertThat(v).anyMatch(s -> s.startsWith("requeue: g") && s.contains(requeued.id() + ""));
    assertThat(v).anyMatch(s -> s.startsWith("phantom: g dead-lettered"));
    assertThat(v).anyMatch(s -> s.startsWith("checkpoint: g partition " + p));
  }

  @Test
  void catchesCommitsOfAWorkerThatLostItsLease() {
    h.group("x", true);
    Published a = publish(null);
    Published b = publish(null);
    commit("x", a, 0, 2);
    commit("x", b, 1, 1);
    h.storedEffects("x", Map.of(a.id(), 1L, b.id(), 1L));
    List<String> epochs = HistoryChecker.check(h);
    assertThat(epochs).anyMatch(s -> s.startsWith("fencing: x partition " + p));

    DeliveryHistory late = new DeliveryHistory(2);
    late.lateCommit(new LateCommit("x", p, a.id(), "w", 1, 2));
    assertThat(HistoryChecker.check(late)).anyMatch(s -> s.startsWith("fencing: x"));
  }

  // The scenario through faulty stores and handlers.

  private static final DeliveryScenario.Settings SETTINGS = DeliveryScenario.Settings.defaults()
      .withTransactionsPerProducer(60).withDrainTimeout(Duration.ofSeconds(5));

  private record Run(List<String> violations, DeliveryScenario.Stats stats) {}

  private static Run run(Engine engine, Function<DeliveryScenario, DeliveryScenario> setup,
      DeliveryScenario.Settings settings) throws InterruptedException {
    try (Tito tito = Tito.open(engine)) {
      DeliveryScenario scenario = setup.apply(new DeliveryScenario(tito, settings));
      DeliveryScenario.Stats stats = scenario.run();
      return new Run(HistoryChecker.check(scenario.history()), stats);
    }
  }

  private static Run run(Engine engine) throws InterruptedException {
    return run(engine, s -> s, SETTINGS);
  }

  @Test
  void theScenarioPassesWithEveryFaultSwitchedOff() throws Exception {
    Engine off = new SkippingCheckpointEngine(new UnfencedCheckpointEngine(
        new UnorderedSequenceEngine(new DroppedDeadLetterEngine(new MemoryEngine(), false),
            false), false), false, 7);
    DeliveryScenario.Settings settings = SETTINGS.withDrainTimeout(Duration.ofSeconds(60));
    Run r = run(off, s -> s, settings);
    assertThat(r.violations()).as("seed %d, %s", settings.seed(), r.stats()).isEmpty();
    assertThat(r.stats().deadLettered()).isPositive();
    assertThat(r.stats().leaseLosses()).isEqualTo(1);
  }

  @Test
  void catchesACheckpointThatSkips() throws Exception {
    SkippingCheckpointEngine engine = new SkippingCheckpointEngine(new MemoryEngine(), true, 7);
    Run r = run(engine);
    assertThat(engine.injections()).isPositive();
    assertThat(r.violations()).as("seed %d", SETTINGS.seed()).anyMatch(s -> s.startsWith("lost:"));
    assertThat(r.violations()).anyMatch(s -> s.startsWith("order:"));
  }

  @Test
  void catchesAMissingFencingCheck() throws Exception {
    UnfencedCheckpointEngine engine = new UnfencedCheckpointEngine(new MemoryEngine(), true);
    Run r = run(engine);
    assertThat(r.stats().leaseLosses()).as("the stalled worker lost its lease").isEqualTo(1);
    assertThat(r.violations()).as("seed %d", SETTINGS.seed())
        .anyMatch(s -> s.startsWith("fencing: gamma"));
  }

  @Test
  void catchesAMissingSequenceRead() throws Exception {
    UnorderedSequenceEngine engine = new UnorderedSequenceEngine(new MemoryEngine(), true);
    Run r = run(engine);
    assertThat(engine.injections()).isPositive();
    assertThat(r.violations()).as("seed %d", SETTINGS.seed()).anyMatch(s -> s.startsWith("lost:"));
  }

  @Test
  void catchesAdvancingPastAFailedEventWithoutDeadLetteringIt() throws Exception {
    DroppedDeadLetterEngine engine = new DroppedDeadLetterEngine(new MemoryEngine(), true);
    Run r = run(engine);
    assertThat(engine.injections()).isPositive();
    assertThat(r.violations()).as("seed %d", SETTINGS.seed())
        .anyMatch(s -> s.startsWith("dropped: alpha"));
  }

  @Test
  void catchesATransactionalHandlerRunOutsideItsTransaction() throws Exception {
    Run r = run(new MemoryEngine(), DeliveryScenario::withEffectsOutsideTransaction, SETTINGS);
    assertThat(r.violations()).as("seed %d", SETTINGS.seed())
        .anyMatch(s -> s.startsWith("effects: gamma") || s.startsWith("effects: delta"));
    assertThat(r.violations()).anyMatch(s -> s.startsWith("duplicate:"));
  }
}
