package io.tito.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.tito.Tito;
import io.tito.pubsub.Message;
import io.tito.pubsub.PartitionLag;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.relay.Relay;
import io.tito.relay.RelaySink;
import io.tito.relay.kafka.KafkaRelaySink;
import io.tito.relay.nats.NatsRelaySink;
import io.tito.relay.rabbitmq.RabbitRelaySink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Relay throughput per broker from the embedded RocksDB engine: publishes {@code events} events
 * into a fresh topic first, then starts one relay and times it until the group's lag is zero
 * (every event acknowledged by the broker and checkpointed).
 *
 * <p>Run with {@code bin/run-bench io.tito.bench.RelayHarness [key=value ...]}; settings and
 * defaults: {@code brokers=kafka,nats,rabbitmq} ({@code none}: a sink that drops every batch, the Tito side alone), {@code store=rocksdb-group} (see {@link
 * BenchStores#open}), {@code events=200000}, {@code partitions=8}, {@code keys=1000}, {@code
 * payload=256} (bytes), {@code fetchSize=512}, {@code concurrency=8}, {@code runs=2} (per
 * broker; each on a fresh topic and destination). Kafka runs in this JVM (Kafka's test kit: one
 * controller, three brokers, topic with 8 partitions, three replicas, {@code
 * min.insync.replicas=2}), so it shares the machine's cores with the relay; NATS (JetStream,
 * file storage) and RabbitMQ (durable queue) are the local servers.
 */
public final class RelayHarness {

  private final Map<String, String> settings;

  private RelayHarness(Map<String, String> settings) {
    this.settings = settings;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = BenchArgs.parse(args);
    new RelayHarness(settings).run();
    System.exit(0);
  }

  private String setting(String name, String fallback) {
    return settings.getOrDefault(name, fallback);
  }

  private int intSetting(String name, int fallback) {
    return Integer.parseInt(setting(name, Integer.toString(fallback)));
  }

  private void run() throws Exception {
    int events = intSetting("events", 200_000);
    int runs = intSetting("runs", 2);
    String store = setting("store", "rocksdb-group");
    System.out.printf(Locale.ROOT, "relay throughput: store=%s events=%d partitions=%d keys=%d"
            + " payload=%d fetchSize=%d concurrency=%d%n", store, events,
        intSetting("partitions", 8), intSetting("keys", 1000), intSetting("payload", 256),
        intSetting("fetchSize", 512), intSetting("concurrency", 8));
    for (String broker : setting("brokers", "kafka,nats,rabbitmq").split(",")) {
      try (Destination d = destination(broker)) {
        for (int r = 0; r < runs; r++) {
          Path dir = BenchStores.tempDir();
          try (Tito tito = BenchStores.open(store, dir)) {
            double perSecond = measure(tito, d, events);
            System.out.printf(Locale.ROOT, "  %-9s run %d: %,10.0f events/s%n", broker, r + 1,
                perSecond);
          } finally {
            BenchStores.delete(dir);
          }
        }
      }
    }
  }

  private double measure(Tito tito, Destination destination, int events) throws Exception {
    Topics topics = tito.topics();
    String topic = "relay-bench-" + UUID.randomUUID();
    topics.createTopic(topic, TopicConfig.DEFAULTS.withPartitions(intSetting("partitions", 8)));
    byte[] payload = new byte[intSetting("payload", 256)];
    int keys = intSetting("keys", 1000);
    int perTx = 500;
    for (int i = 0; i < events; i += perTx) {
      int from = i;
      tito.inTransaction(tx -> {
        for (int j = from; j < Math.min(events, from + perTx); j++) {
          topics.publish(tx, topic, Message.of("key-" + (j % keys), payload));
        }
      });
    }
    SubscribeOptions options = Relay.DEFAULT_OPTIONS.toBuilder()
        .fetchSize(intSetting("fetchSize", 512)).concurrency(intSetting("concurrency", 8))
        .pollInterval(Duration.ofMillis(100)).build();
    long start = System.nanoTime();
    long elapsed;
    try (Relay relay = Relay.start(topics, topic, "bench", destination.sink(), options)) {
      while (!caughtUp(topics.lag(topic, "bench"))) {
        Thread.sleep(5);
      }
      elapsed = System.nanoTime() - start;
      if (relay.relayed() < events) {
        throw new IllegalStateException("relayed " + relay.relayed() + " of " + events);
      }
    }
    return events / (elapsed / 1e9);
  }

  private static boolean caughtUp(List<PartitionLag> lag) {
    return lag.stream().allMatch(l -> l.lag() == 0);
  }

  private Destination destination(String broker) throws Exception {
    return switch (broker) {
      case "kafka" -> new KafkaDestination();
      case "nats" -> new NatsDestination();
      case "rabbitmq" -> new RabbitDestination();
      case "none" -> () -> new RelaySink() {   // the Tito side alone: a sink that drops everything
        @Override
        public void send(List<io.tito.pubsub.Event> batch) {}

        @Override
        public void close() {}
      };
      default -> throw new IllegalArgumentException("unknown broker " + broker);
    };
  }

  /** A broker destination; each {@link #sink()} call prepares a fresh topic, stream or queue. */
  private interface Destination extends AutoCloseable {
    RelaySink sink() throws Exception;

    @Override
    default void close() throws Exception {}
  }

  private static final class KafkaDestination implements Destination {
    private final KafkaClusterTestKit kit;

    KafkaDestination() throws Exception {
      TestKitNodes nodes = new TestKitNodes.Builder().setCombined(false)
          .setNumControllerNodes(1).setNumBrokerNodes(3).build();
      kit = new KafkaClusterTestKit.Builder(nodes)
          .setConfigProp("offsets.topic.replication.factor", "3")
          .setConfigProp("transaction.state.log.replication.factor", "3")
          .setConfigProp("min.insync.replicas", "2")
          .setConfigProp("auto.create.topics.enable", "false").build();
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
    }

    @Override
    public RelaySink sink() throws Exception {
      String topic = "relay-bench-" + UUID.randomUUID();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kit.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, 8, (short) 3)
            .configs(Map.of("min.insync.replicas", "2")))).all().get();
      }
      return KafkaRelaySink.builder(Map.of("bootstrap.servers", kit.bootstrapServers(),
          "batch.size", 262_144, "compression.type", "lz4")).topic(topic).build();
    }

    @Override
    public void close() throws Exception {
      kit.close();
    }
  }

  private static final class NatsDestination implements Destination {
    private final Options options = new Options.Builder().server("nats://127.0.0.1:4222").build();
    private final Connection admin = Nats.connect(options);
    private final JetStreamManagement jsm = admin.jetStreamManagement();
    private String stream;

    NatsDestination() throws Exception {}

    @Override
    public RelaySink sink() throws Exception {
      dropStream();
      String run = UUID.randomUUID().toString().replace("-", "");
      stream = "TITO_RELAY_BENCH_" + run;
      jsm.addStream(StreamConfiguration.builder().name(stream).subjects("tito.bench." + run)
          .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(2)).build());
      return NatsRelaySink.builder(options).subject("tito.bench." + run).stream(stream).build();
    }

    private void dropStream() throws Exception {
      if (stream != null) {
        jsm.deleteStream(stream);
        stream = null;
      }
    }

    @Override
    public void close() throws Exception {
      try {
        dropStream();
      } finally {
        admin.close();
      }
    }
  }

  private static final class RabbitDestination implements Destination {
    private final ConnectionFactory factory = new ConnectionFactory();
    private final com.rabbitmq.client.Connection admin;
    private final Channel channel;
    private String exchange;
    private String queue;

    RabbitDestination() throws Exception {
      factory.setHost("127.0.0.1");
      admin = factory.newConnection("tito-relay-bench");
      channel = admin.createChannel();
    }

    @Override
    public RelaySink sink() throws Exception {
      drop();
      String run = UUID.randomUUID().toString();
      exchange = "tito.relay.bench." + run;
      queue = "tito.relay.bench.q." + run;
      channel.exchangeDeclare(exchange, "topic", true);
      channel.queueDeclare(queue, true, false, false, null);
      channel.queueBind(queue, exchange, "#");
      return RabbitRelaySink.builder(factory).exchange(exchange).build();
    }

    private void drop() throws Exception {
      if (queue != null) {
        channel.queueDelete(queue);
        channel.exchangeDelete(exchange);
        queue = null;
      }
    }

    @Override
    public void close() throws Exception {
      try {
        drop();
      } finally {
        admin.close();
      }
    }
  }
}
