/**
 * Relays: a {@link io.tito.relay.Relay} is a consumer group of a Tito topic whose handler hands
 * each batch to a {@link io.tito.relay.RelaySink} (a broker) and returns only once the broker
 * acknowledged every event of it, so the checkpoint never passes an event the broker does not
 * hold. Delivery to the broker is at least once; the event id travels as the broker's
 * deduplication key ({@link io.tito.relay.RelayHeaders#EVENT_ID}) and the partition key as the
 * broker's key, so order per key holds. Retries and dead letters are the group's.
 */
package io.tito.relay;
