package io.tito.relay.testing;

import io.tito.relay.RelayHeaders;
import io.tito.relay.RelaySink;
import io.tito.relay.Relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.PartitionLag;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.pubsub.testing.PubSubTesting;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The relay scenarios every broker runs (against the real broker in its module's tests, against
 * {@link FakeBroker} in this module's): a relay killed between the broker's acknowledgement and
 * the checkpoint commit, then restarted; and a broker that cannot be reached.
 */
public final class RelayScenarios {

  /** Events the crash scenario publishes. */
  public static final int EVENTS = 600;
  private static final int KEYS = 12;
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private RelayScenarios() {}

  /**
   * What the crash scenario saw.
   *
   * @param published events published (all of which arrived)
   * @param stored messages the broker holds
   * @param duplicatesStored copies beyond the first that the broker holds
   * @param duplicatesRemoved copies the broker reported dropping
   * @param limbo events acknowledged by the broker and never checkpointed by the crashed relay
   */
  public record Outcome(int published, int stored, int duplicatesStored, long duplicatesRemoved,
      int limbo) {}

  /** Options that let a crashed worker's leases lapse within a second. */
  public static SubscribeOptions fastOptions(int maxAttempts) {
    return SubscribeOptions.builder().fetchSize(16).concurrency(4).maxAttempts(maxAttempts)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .pollInterval(Duration.ofMillis(200)).heartbeatInterval(Duration.ofMillis(200))
        .leaseTimeout(Duration.ofSeconds(1)).shutdownTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Publishes {@link #EVENTS} events over 12 keys with trace, causation and correlation headers,
   * relays them, kills the relay after the broker acknowledged its fourth batch and before that
   * batch's checkpoint commits (others are held before they send), restarts it, and checks the
   * broker's content: every event arrived with its key, payload and headers; per key in
   * position order (first copies); copies only of events the crashed relay had sent, including
   * every event of the unchecked batch - and none at all if the broker deduplicates, which must
   * then have reported dropping at least that batch.
   */
  public static Outcome crashBetweenAckAndCheckpoint(BrokerUnderTest broker) throws Exception {
    try (Tito tito = Tito.open(new MemoryEngine())) {
      Topics topics = tito.topics();
      String topic = "relay-" + UUID.randomUUID();
      String group = "relay";
      topics.createTopic(topic, TopicConfig.DEFAULTS.withPartitions(4));
      Map<String, Event> published = publish(topics, topic, EVENTS);
      SubscribeOptions options = fastOptions(10);

      StallingSink stalling = new StallingSink(broker.sink(), 4);
      Relay first = Relay.start(topics, topic, group, stalling, options);
      assertThat(stalling.awaitStall(DEADLINE.toSeconds())).as("fourth batch acknowledged").isTrue();
      PubSubTesting.crash(first.subscription());
      first.close();
      Set<String> limbo = stalling.limbo();
      Set<String> attempted = stalling.attempted();
      assertThat(limbo).isNotEmpty();

      try (Relay second = Relay.start(topics, topic, group, broker.sink(), options)) {
        awaitCaughtUp(topics, topic, group);
      }

      List<Received> stored = broker.readAll();
      Map<String, Integer> copies = new HashMap<>();
      Map<String, List<Long>> positionsPerKey = new LinkedHashMap<>();
      for (Received r : stored) {
        Event e = published.get(r.eventId());
        assertThat(e).as("stored message %s is a published event", r.eventId()).isNotNull();
        assertThat(r.brokerKey()).isEqualTo(e.key());
        assertThat(r.payload()).isEqualTo(e.payload());
        assertThat(r.headers()).containsAllEntriesOf(e.headers())
            .containsEntry(RelayHeaders.KEY, e.key())
            .containsEntry(RelayHeaders.TOPIC, topic)
            .containsEntry(RelayHeaders.POSITION, Long.toString(e.position()));
        if (copies.merge(r.eventId(), 1, Integer::sum) == 1) {
          positionsPerKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.position());
        }
      }
      assertThat(copies.keySet()).as("every event arrived").isEqualTo(published.keySet());
      positionsPerKey.forEach((key, positions) ->
          assertThat(positions).as("order of key %s", key).isSorted().doesNotHaveDuplicates());
      Set<String> duplicated = new HashSet<>();
      copies.forEach((id, n) -> {
        if (n > 1) {
          duplicated.add(id);
        }
      });
      int duplicatesStored = stored.size() - published.size();
      if (broker.deduplicates()) {
        assertThat(duplicatesStored).as("copies left by a deduplicating broker").isZero();
        assertThat(broker.duplicatesRemoved()).as("copies the broker dropped")
            .isGreaterThanOrEqualTo(limbo.size()).isLessThanOrEqualTo(attempted.size());
      } else {
        assertThat(duplicated).as("copies are of events the crashed relay sent")
            .isSubsetOf(attempted);
        assertThat(duplicated).as("the unchecked batch is sent again").containsAll(limbo);
        assertThat(duplicatesStored).isLessThanOrEqualTo(attempted.size());
      }
      return new Outcome(published.size(), stored.size(), duplicatesStored,
          broker.duplicatesRemoved(), limbo.size());
    }
  }

  /**
   * Relays 6 events to an unreachable broker with 3 attempts per event: every event is retried,
   * then dead-lettered, and nothing is stored; requeued and relayed to the reachable broker, all
   * 6 arrive.
   */
  public static void brokerDownRetriesThenDeadLetters(BrokerUnderTest broker) throws Exception {
    try (Tito tito = Tito.open(new MemoryEngine())) {
      Topics topics = tito.topics();
      String topic = "relay-down-" + UUID.randomUUID();
      String group = "relay";
      topics.createTopic(topic, TopicConfig.DEFAULTS.withPartitions(2));
      Map<String, Event> published = publish(topics, topic, 6);
      int attempts = 3;
      SubscribeOptions options = fastOptions(attempts).toBuilder().fetchSize(4).build();

      CountingSink down = new CountingSink(broker.unreachableSink());
      try (Relay relay = Relay.start(topics, topic, group, down, options)) {
        awaitTrue("every event dead-lettered",
            () -> topics.deadLetters(topic, group, 100).size() == published.size());
      }
      assertThat(down.failures()).as("failed sends").isEqualTo(down.calls())
          .isGreaterThanOrEqualTo(published.size() * attempts);
      assertThat(topics.deadLetters(topic, group, 100))
          .allSatisfy(d -> assertThat(d.attempts()).isEqualTo(attempts));
      assertThat(broker.readAll()).as("stored while the broker was down").isEmpty();

      assertThat(topics.requeueAll(topic, group)).isEqualTo(published.size());
      try (Relay relay = Relay.start(topics, topic, group, broker.sink(), options)) {
        awaitCaughtUp(topics, topic, group);
      }
      Set<String> arrived = new HashSet<>();
      broker.readAll().forEach(r -> arrived.add(r.eventId()));
      assertThat(arrived).isEqualTo(published.keySet());
    }
  }

  /**
   * Relays {@link #EVENTS} events through a {@link TcpProxy} in front of the broker at {@code
   * brokerPort}; after a few acknowledged batches the broker goes away (the proxy drops every
   * connection and refuses new ones) while the relay keeps trying; once sends have failed, the
   * broker comes back. Every event arrives (first copies in order per key), nothing is
   * dead-lettered (the attempts outlast the outage), and sends did fail meanwhile.
   *
   * @return how many sends failed during the outage
   */
  public static int outageMidStream(BrokerUnderTest broker, int brokerPort) throws Exception {
    try (Tito tito = Tito.open(new MemoryEngine()); TcpProxy proxy = new TcpProxy(brokerPort)) {
      Topics topics = tito.topics();
      String topic = "relay-outage-" + UUID.randomUUID();
      String group = "relay";
      topics.createTopic(topic, TopicConfig.DEFAULTS.withPartitions(4));
      Map<String, Event> published = publish(topics, topic, EVENTS);
      SubscribeOptions options = fastOptions(10_000);

      PausingSink sink = new PausingSink(broker.sinkVia(proxy.port()), 3);
      try (Relay relay = Relay.start(topics, topic, group, sink, options)) {
        assertThat(sink.awaitPause(DEADLINE.toSeconds())).as("three batches relayed").isTrue();
        proxy.cut();
        sink.resume();
        awaitTrue("sends failing while the broker is away", () -> sink.failures() >= 3);
        proxy.restore();
        awaitCaughtUp(topics, topic, group);
      }
      Map<String, Integer> copies = new HashMap<>();
      Map<String, List<Long>> positionsPerKey = new LinkedHashMap<>();
      for (Received r : broker.readAll()) {
        Event e = published.get(r.eventId());
        assertThat(e).as("stored message %s is a published event", r.eventId()).isNotNull();
        if (copies.merge(r.eventId(), 1, Integer::sum) == 1) {
          positionsPerKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.position());
        }
      }
      assertThat(copies.keySet()).as("every event arrived").isEqualTo(published.keySet());
      positionsPerKey.forEach((key, positions) ->
          assertThat(positions).as("order of key %s", key).isSorted().doesNotHaveDuplicates());
      assertThat(topics.deadLetters(topic, group, 10)).isEmpty();
      return sink.failures();
    }
  }

  /** Publishes {@code count} events over the keys and returns them by id as the log holds them. */
  static Map<String, Event> publish(Topics topics, String topic, int count) {
    for (int i = 0; i < count; i++) {
      String key = "key-" + (i % KEYS);
      Map<String, String> headers = Map.of(
          "traceparent", String.format("00-%032x-%016x-01", i + 1, i + 1),
          "causation-id", "cause-" + i,
          "correlation-id", "order-" + (i % KEYS));
      topics.publish(topic, Message.of(key, ("payload " + i).getBytes(StandardCharsets.UTF_8))
          .withHeaders(headers));
    }
    Map<String, Event> byId = new HashMap<>();
    int partitions = topics.topic(topic).partitions();
    for (int p = 0; p < partitions; p++) {
      for (Event e : topics.read(topic, p, 0, count)) {
        byId.put(e.id().toString(), e);
      }
    }
    assertThat(byId).hasSize(count);
    return byId;
  }

  public static void awaitCaughtUp(Topics topics, String topic, String group) throws InterruptedException {
    awaitTrue("relay caught up", () -> {
      List<PartitionLag> lag = topics.lag(topic, group);
      return lag.stream().allMatch(l -> l.lag() == 0 && l.requeued() == 0)
          && topics.deadLetters(topic, group, 1).isEmpty();
    });
  }

  static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(what + ": not within " + DEADLINE);
      }
      Thread.sleep(20);
    }
  }
}
