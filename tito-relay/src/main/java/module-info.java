/**
 * Tito relay core ({@code io.tito.relay}): forwards a topic's events to a message broker as a
 * consumer group, advancing the group's checkpoint only after the broker acknowledged them. It
 * has no broker client; {@code tito-relay-kafka}, {@code tito-relay-nats} and {@code
 * tito-relay-rabbitmq} each add one {@link io.tito.relay.RelaySink}.
 */
module io.tito.relay {
  requires transitive io.tito.core;

  exports io.tito.relay;
}
