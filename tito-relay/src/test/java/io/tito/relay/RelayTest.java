package io.tito.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.relay.testing.FakeBroker;
import io.tito.relay.testing.RelayScenarios;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The relay core against an in-memory broker; the broker modules run the same scenarios for real. */
class RelayTest {

  @Test
  void crashAfterAckBeforeCheckpointResendsOnlyTheUncheckedEvents() throws Exception {
    RelayScenarios.Outcome o = RelayScenarios.crashBetweenAckAndCheckpoint(new FakeBroker(false));
    assertThat(o.duplicatesStored()).isGreaterThanOrEqualTo(o.limbo());
  }

  @Test
  void aDeduplicatingBrokerKeepsOneCopyOfEveryEvent() throws Exception {
    RelayScenarios.Outcome o = RelayScenarios.crashBetweenAckAndCheckpoint(new FakeBroker(true));
    assertThat(o.stored()).isEqualTo(o.published());
    assertThat(o.duplicatesRemoved()).isGreaterThanOrEqualTo(o.limbo());
  }

  @Test
  void anUnreachableBrokerMeansRetriesThenDeadLetters() throws Exception {
    RelayScenarios.brokerDownRetriesThenDeadLetters(new FakeBroker(false));
  }

  @Test
  void headersCarryTheEventsOwnAndTitosOwnTitoWinning() {
    UUID id = UUID.randomUUID();
    Instant at = Instant.parse("2026-01-02T03:04:05Z");
    Event e = new Event("orders", 3, 42, id, "customer-7", new byte[] {1},
        Map.of("traceparent", "00-abc-def-01", "correlation-id", "c1", RelayHeaders.KEY, "forged"),
        at, null);
    assertThat(RelayHeaders.of(e))
        .containsEntry("traceparent", "00-abc-def-01")
        .containsEntry("correlation-id", "c1")
        .containsEntry(RelayHeaders.EVENT_ID, id.toString())
        .containsEntry(RelayHeaders.TOPIC, "orders")
        .containsEntry(RelayHeaders.KEY, "customer-7")
        .containsEntry(RelayHeaders.PARTITION, "3")
        .containsEntry(RelayHeaders.POSITION, "42")
        .containsEntry(RelayHeaders.PUBLISHED_AT, "2026-01-02T03:04:05Z");
  }

  @Test
  void closingTheRelayClosesItsSinkAndCountsRelayedEvents() throws Exception {
    try (Tito tito = Tito.open(new MemoryEngine())) {
      Topics topics = tito.topics();
      topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
      for (int i = 0; i < 5; i++) {
        topics.publish("t", Message.of("k", new byte[] {(byte) i}));
      }
      FakeBroker broker = new FakeBroker(false);
      AtomicBoolean closed = new AtomicBoolean();
      RelaySink sink = new RelaySink() {
        final RelaySink inner = broker.sink();

        @Override
        public void send(List<Event> batch) throws Exception {
          inner.send(batch);
        }

        @Override
        public void close() {
          closed.set(true);
        }
      };
      Relay relay = Relay.start(topics, "t", "g", sink, RelayScenarios.fastOptions(3));
      RelayScenarios.awaitCaughtUp(topics, "t", "g");
      assertThat(relay.relayed()).isEqualTo(5);
      assertThat(closed).isFalse();
      relay.close();
      assertThat(closed).isTrue();
      assertThat(broker.readAll()).hasSize(5);
    }
  }

  @Test
  void nullArgumentsAreNamed() {
    try (Tito tito = Tito.open(new MemoryEngine())) {
      Topics topics = tito.topics();
      topics.createTopic("t");
      assertThatThrownBy(() -> Relay.start(topics, "t", "g", null))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("null");
      assertThatThrownBy(() -> Relay.start(topics, "t", null, new FakeBroker(false).sink()))
          .isInstanceOf(InvalidArgumentException.class);
    }
  }
}
