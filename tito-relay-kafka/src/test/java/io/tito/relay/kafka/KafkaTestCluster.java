package io.tito.relay.kafka;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A Kafka cluster inside the test JVM, from Kafka's own test kit: one KRaft controller and three
 * brokers on separate nodes, internal topics replicated three times, so {@code acks=all} means
 * three copies.
 */
final class KafkaTestCluster implements AutoCloseable {

  private final KafkaClusterTestKit kit;

  KafkaTestCluster() throws Exception {
    TestKitNodes nodes = new TestKitNodes.Builder().setCombined(false)
        .setNumControllerNodes(1).setNumBrokerNodes(3).build();
    kit = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("offsets.topic.replication.factor", "3")
        .setConfigProp("transaction.state.log.replication.factor", "3")
        .setConfigProp("transaction.state.log.min.isr", "2")
        .setConfigProp("min.insync.replicas", "2")
        .setConfigProp("default.replication.factor", "3")
        .setConfigProp("auto.create.topics.enable", "false")
        .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
  }

  String bootstrapServers() {
    return kit.bootstrapServers();
  }

  /** Creates a topic of {@code partitions} partitions, three replicas, two in sync required. */
  void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 3)
          .configs(Map.of("min.insync.replicas", "2")))).all().get();
    }
  }

  @Override
  public void close() throws Exception {
    kit.close();
  }
}
