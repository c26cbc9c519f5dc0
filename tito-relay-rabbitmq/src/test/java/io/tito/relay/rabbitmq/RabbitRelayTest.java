package io.tito.relay.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Message;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.relay.Relay;
import io.tito.relay.RelayHeaders;
import io.tito.relay.RelaySink;
import io.tito.relay.testing.BrokerUnderTest;
import io.tito.relay.testing.Received;
import io.tito.relay.testing.RelayScenarios;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay scenarios against the local RabbitMQ (127.0.0.1:5672, guest/guest, started by
 * bin/services), each on a fresh topic exchange bound to a fresh durable queue.
 */
class RabbitRelayTest {

  private Connection admin;
  private Channel channel;
  private String exchange;
  private String queue;

  static ConnectionFactory factory(int port) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(port);
    f.setUsername("guest");
    f.setPassword("guest");
    f.setConnectionTimeout(2000);
    // Bound every blocking call when the proxy cuts the broker away: a channel open or close
    // waits for the broker's reply at most this long (the client's default is 10 minutes), and
    // heartbeats find a dead peer the socket did not report.
    f.setChannelRpcTimeout(5000);
    f.setRequestedHeartbeat(2);
    return f;
  }

  @BeforeEach
  void freshExchangeAndQueue() throws Exception {
    admin = factory(5672).newConnection("tito-relay-test");
    channel = admin.createChannel();
    String run = UUID.randomUUID().toString();
    exchange = "tito.relay." + run;
    queue = "tito.relay.q." + run;
    channel.exchangeDeclare(exchange, "topic", true);
    channel.queueDeclare(queue, true, false, false, null);
    channel.queueBind(queue, exchange, "#");
  }

  @AfterEach
  void drop() throws Exception {
    try {
      channel.queueDelete(queue);
      channel.exchangeDelete(exchange);
    } finally {
      admin.close();
    }
  }

  @Test
  void crashBetweenConfirmAndCheckpointResendsOnlyUncheckedEventsInOrder() throws Exception {
    RelayScenarios.Outcome o = RelayScenarios.crashBetweenAckAndCheckpoint(new Broker());
    System.out.println("RabbitMQ crash scenario: " + o);
    assertThat(o.duplicatesStored()).isGreaterThanOrEqualTo(o.limbo());
  }

  @Test
  void unreachableBrokerMeansRetriesThenDeadLetters() throws Exception {
    RelayScenarios.brokerDownRetriesThenDeadLetters(new Broker());
  }

  @Test
  void aMessageNoQueueTakesFailsTheSendAndEndsAsADeadLetter() throws Exception {
    String unbound = exchange + ".unbound";
    channel.exchangeDeclare(unbound, "topic", false, true, null);
    try (Tito tito = Tito.open(new MemoryEngine())) {
      Topics topics = tito.topics();
      topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
      topics.publish("t", Message.of("k", new byte[] {1}));
      RelaySink sink = RabbitRelaySink.builder(factory(5672)).exchange(unbound).build();
      try (Relay relay = Relay.start(topics, "t", "g", sink, RelayScenarios.fastOptions(2))) {
        long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (topics.deadLetters("t", "g", 10).isEmpty() && System.nanoTime() < end) {
          Thread.sleep(20);
        }
      }
      assertThat(topics.deadLetters("t", "g", 10)).singleElement()
          .satisfies(d -> assertThat(d.error()).contains("no queue took"));
    }
  }

  @Test
  void brokerOutageMidStreamIsRetriedThroughWithoutLossOrDeadLetters() throws Exception {
    int failed = RelayScenarios.outageMidStream(new Broker(), 5672);
    System.out.println("RabbitMQ outage: " + failed + " failed sends");
  }

  @Test
  void anExchangeIsRequired() {
    assertThatThrownBy(() -> RabbitRelaySink.builder(factory(5672)).build())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("exchange");
  }

  final class Broker implements BrokerUnderTest {

    @Override
    public RelaySink sink() {
      return RabbitRelaySink.builder(factory(5672)).exchange(exchange)
          .confirmTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public RelaySink sinkVia(int port) {
      return RabbitRelaySink.builder(factory(port)).exchange(exchange)
          .confirmTimeout(Duration.ofSeconds(2)).build();
    }

    @Override
    public RelaySink unreachableSink() throws IOException {
      int port = BrokerUnderTest.unusedPort();
      return RabbitRelaySink.builder(factory(port)).exchange(exchange).build();
    }

    @Override
    public List<Received> readAll() throws Exception {
      List<Received> out = new ArrayList<>();
      for (GetResponse r; (r = channel.basicGet(queue, true)) != null; ) {
        Map<String, String> headers = new HashMap<>();
        r.getProps().getHeaders().forEach((k, v) -> headers.put(k, String.valueOf(v)));
        assertThat(r.getProps().getMessageId()).isEqualTo(headers.get(RelayHeaders.EVENT_ID));
        assertThat(r.getProps().getDeliveryMode()).as("persistent").isEqualTo(2);
        out.add(new Received(r.getProps().getMessageId(), r.getEnvelope().getRoutingKey(), headers,
            r.getBody()));
      }
      return out;
    }
  }
}
