/**
 * {@link io.tito.relay.nats.NatsRelaySink}: relays a Tito topic to a NATS JetStream stream,
 * deduplicated by the stream through {@code Nats-Msg-Id} (the event id).
 */
package io.tito.relay.nats;
