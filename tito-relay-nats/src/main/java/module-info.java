/** The relay to NATS JetStream ({@code io.tito.relay.nats}), on the jnats client. */
module io.tito.relay.nats {
  requires transitive io.tito.relay;
  requires transitive io.nats.jnats;

  exports io.tito.relay.nats;
}
