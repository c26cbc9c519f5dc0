package io.tito.relay.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.relay.RelaySink;
import io.tito.relay.testing.BrokerUnderTest;
import io.tito.relay.testing.Received;
import io.tito.relay.testing.RelayScenarios;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay scenarios against a Kafka cluster in this JVM (one controller, three brokers, topics
 * with three replicas and two in sync required), each on a fresh topic; read back with {@code
 * read_committed}.
 */
class KafkaRelayTest {

  private static final int KAFKA_PARTITIONS = 3;
  private static KafkaTestCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new KafkaTestCluster();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void crashBetweenAckAndCheckpointResendsOnlyUncheckedEventsInOrder() throws Exception {
    RelayScenarios.Outcome o = RelayScenarios.crashBetweenAckAndCheckpoint(new Broker(null));
    System.out.println("Kafka crash scenario: " + o);
    assertThat(o.duplicatesStored()).isGreaterThanOrEqualTo(o.limbo());
  }

  @Test
  void transactionalRelaySurvivesTheSameCrash() throws Exception {
    RelayScenarios.Outcome o = RelayScenarios.crashBetweenAckAndCheckpoint(
        new Broker("tito-relay-" + UUID.randomUUID()));
    System.out.println("Kafka transactional crash scenario: " + o);
    assertThat(o.duplicatesStored()).isGreaterThanOrEqualTo(o.limbo());
  }

  @Test
  void unreachableClusterMeansRetriesThenDeadLetters() throws Exception {
    RelayScenarios.brokerDownRetriesThenDeadLetters(new Broker(null));
  }

  @Test
  void unreachableClusterWithTransactionsMeansRetriesThenDeadLetters() throws Exception {
    RelayScenarios.brokerDownRetriesThenDeadLetters(new Broker("tito-relay-" + UUID.randomUUID()));
  }

  @Test
  void configurationsWeakerThanIdempotentAcksAllAreRefused() {
    Map<String, Object> base = Map.of("bootstrap.servers", "127.0.0.1:1");
    assertThatThrownBy(() -> KafkaRelaySink.builder(withEntry(base, "acks", "1")).topic("t").build())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("acks=all");
    assertThatThrownBy(() -> KafkaRelaySink.builder(withEntry(base, "enable.idempotence", false))
        .topic("t").build()).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> KafkaRelaySink.builder(Map.of()).topic("t").build())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("bootstrap.servers");
    assertThatThrownBy(() -> KafkaRelaySink.builder(base).build())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("topic");
  }

  private static Map<String, Object> withEntry(Map<String, Object> m, String k, Object v) {
    Map<String, Object> copy = new HashMap<>(m);
    copy.put(k, v);
    return copy;
  }

  final class Broker implements BrokerUnderTest {
    private final String topic = "tito-relay-" + UUID.randomUUID();
    private final String transactionalId;

    Broker(String transactionalId) throws Exception {
      this.transactionalId = transactionalId;
      cluster.createTopic(topic, KAFKA_PARTITIONS);
    }

    private RelaySink sink(String bootstrap, Map<String, Object> extra) {
      Map<String, Object> config = new HashMap<>(extra);
      config.put("bootstrap.servers", bootstrap);
      KafkaRelaySink.Builder b = KafkaRelaySink.builder(config).topic(topic)
          .sendTimeout(Duration.ofSeconds(30));
      if (transactionalId != null) {
        b.transactionalId(transactionalId);
      }
      return b.build();
    }

    @Override
    public RelaySink sink() {
      return sink(cluster.bootstrapServers(), Map.of());
    }

    @Override
    public RelaySink unreachableSink() throws IOException {
      int port = BrokerUnderTest.unusedPort();
      return sink("127.0.0.1:" + port, Map.of("max.block.ms", 500, "delivery.timeout.ms", 1000,
          "request.timeout.ms", 500, "linger.ms", 0));
    }

    @Override
    public List<Received> readAll() {
      Map<String, Object> config = Map.of("bootstrap.servers", cluster.bootstrapServers(),
          "isolation.level", "read_committed", "enable.auto.commit", false,
          "key.deserializer", StringDeserializer.class,
          "value.deserializer", ByteArrayDeserializer.class);
      List<Received> out = new ArrayList<>();
      try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < KAFKA_PARTITIONS; p++) {
          partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
          assertThat(System.nanoTime()).as("read back within a minute").isLessThan(deadline);
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            Map<String, String> headers = new HashMap<>();
            for (Header h : r.headers()) {
              headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            out.add(new Received(headers.get("tito-event-id"), r.key(), headers, r.value()));
          }
        }
      }
      return out;
    }
  }
}
