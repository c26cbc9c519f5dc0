package io.tito.relay.testing;

import io.tito.relay.RelayHeaders;
import io.tito.relay.RelaySink;
import io.tito.relay.Relay;

import java.util.Map;

/**
 * A message read back from a broker in a relay test.
 *
 * @param eventId the {@link RelayHeaders#EVENT_ID} header
 * @param brokerKey the broker's own key of the message (Kafka record key, RabbitMQ routing key;
 *     the {@link RelayHeaders#KEY} header where the broker has no key)
 * @param headers every header
 * @param payload the body
 */
public record Received(String eventId, String brokerKey, Map<String, String> headers,
    byte[] payload) {}
