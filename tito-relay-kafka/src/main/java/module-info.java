/**
 * The relay to Apache Kafka ({@code io.tito.relay.kafka}), on kafka-clients (an automatic module
 * named from its file, {@code kafka.clients}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.tito.relay.kafka {
  requires transitive io.tito.relay;
  requires transitive kafka.clients;

  exports io.tito.relay.kafka;
}
