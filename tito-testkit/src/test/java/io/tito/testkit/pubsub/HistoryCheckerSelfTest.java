package io.tito.testkit.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.pubsub.Event;
import io.tito.pubsub.Topics;
import io.tito.testkit.pubsub.DeliveryHistory.Published;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The checker catches broken histories, and a broken consumer through the whole scenario. */
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
    h.delivered(group, new Event("t", pub.partition(), position, pub.id(), pub.key(), new byte[0],
        Map.of(), T, pub.deliverAt()), at);
  }

  @Test
  void aCorrectHistoryPasses() {
    h.group("g", false);
    Published a = publish(null);
    Published b = publish(T.plusSeconds(5));
    deliver("g", a, 0, T);
    deliver("g", a, 0, T);
    deliver("g", b, 1, T.plusSeconds(5));
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
  void catchesAConsumerWhoseCheckpointSkips() throws Exception {
    DeliveryScenario.Settings settings = DeliveryScenario.Settings.defaults()
        .withDrainTimeout(java.time.Duration.ofSeconds(5));
    try (Tito tito = Tito.open(new SkippingCheckpointEngine(7))) {
      DeliveryScenario scenario = new DeliveryScenario(tito, settings);
      scenario.run();
      List<String> v = HistoryChecker.check(scenario.history());
      assertThat(v).as("seed %d", settings.seed()).anyMatch(s -> s.startsWith("lost:"));
      assertThat(v).anyMatch(s -> s.startsWith("order:"));
    }
  }
}
