package io.tito.relay.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;
import io.tito.InvalidArgumentException;
import io.tito.relay.testing.BrokerUnderTest;
import io.tito.relay.testing.Received;
import io.tito.relay.RelayHeaders;
import io.tito.relay.testing.RelayScenarios;
import io.tito.relay.RelaySink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay scenarios against the local NATS server with JetStream (127.0.0.1:4222, started by
 * bin/services), each on a fresh stream that deduplicates by {@code Nats-Msg-Id} over 10 minutes.
 */
class NatsRelayTest {

  static final String URL = "nats://127.0.0.1:4222";

  private Connection admin;
  private JetStreamManagement jsm;
  private String stream;
  private String subject;

  @BeforeEach
  void freshStream() throws Exception {
    admin = Nats.connect(options(URL));
    jsm = admin.jetStreamManagement();
    String run = UUID.randomUUID().toString().replace("-", "");
    stream = "TITO_RELAY_" + run;
    subject = "tito.relay." + run;
    jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subject)
        .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(10)).build());
  }

  @AfterEach
  void dropStream() throws Exception {
    try {
      jsm.deleteStream(stream);
    } finally {
      admin.close();
    }
  }

  static Options options(String url) {
    return new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(2)).build();
  }

  @Test
  void crashBetweenAckAndCheckpointLeavesOneCopyOfEveryEventInOrder() throws Exception {
    Broker broker = new Broker();
    RelayScenarios.Outcome o = RelayScenarios.crashBetweenAckAndCheckpoint(broker);
    System.out.println("NATS crash scenario: " + o);
    assertThat(o.stored()).isEqualTo(o.published());
    assertThat(o.duplicatesRemoved()).isGreaterThanOrEqualTo(o.limbo()).isPositive();
  }

  @Test
  void unreachableServerMeansRetriesThenDeadLetters() throws Exception {
    RelayScenarios.brokerDownRetriesThenDeadLetters(new Broker());
  }

  @Test
  void serverOutageMidStreamIsRetriedThroughWithoutLossOrDeadLetters() throws Exception {
    int failed = RelayScenarios.outageMidStream(new Broker(), 4222);
    System.out.println("NATS outage: " + failed + " failed sends");
  }

  @Test
  void aSubjectIsRequired() {
    assertThatThrownBy(() -> NatsRelaySink.builder(options(URL)).build())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("subject");
  }

  final class Broker implements BrokerUnderTest {
    private final List<NatsRelaySink> sinks = new CopyOnWriteArrayList<>();

    @Override
    public RelaySink sink() {
      NatsRelaySink s = NatsRelaySink.builder(options(URL)).subject(subject).stream(stream)
          .ackTimeout(Duration.ofSeconds(10)).build();
      sinks.add(s);
      return s;
    }

    @Override
    public RelaySink sinkVia(int port) {
      NatsRelaySink s = NatsRelaySink.builder(options("nats://127.0.0.1:" + port)).subject(subject)
          .stream(stream).ackTimeout(Duration.ofSeconds(2)).build();
      sinks.add(s);
      return s;
    }

    @Override
    public RelaySink unreachableSink() throws IOException {
      int port = BrokerUnderTest.unusedPort();
      return NatsRelaySink.builder(options("nats://127.0.0.1:" + port)).subject(subject).build();
    }

    @Override
    public List<Received> readAll() throws Exception {
      StreamState state = jsm.getStreamInfo(stream).getStreamState();
      List<Received> out = new ArrayList<>();
      if (state.getMsgCount() == 0) {
        return out;
      }
      for (long seq = state.getFirstSequence(); seq <= state.getLastSequence(); seq++) {
        MessageInfo m = jsm.getMessage(stream, seq);
        Map<String, String> headers = new HashMap<>();
        m.getHeaders().entrySet().forEach(h -> headers.put(h.getKey(), h.getValue().get(0)));
        assertThat(headers).containsEntry("Nats-Msg-Id", headers.get(RelayHeaders.EVENT_ID));
        out.add(new Received(headers.get(RelayHeaders.EVENT_ID), headers.get(RelayHeaders.KEY),
            headers, m.getData()));
      }
      return out;
    }

    @Override
    public boolean deduplicates() {
      return true;
    }

    @Override
    public long duplicatesRemoved() {
      return sinks.stream().mapToLong(NatsRelaySink::duplicatesDropped).sum();
    }
  }
}
