package io.tito.pubsub;

import io.tito.InvalidArgumentException;
import java.time.Instant;
import java.util.Map;

/**
 * What a producer publishes: a partition key, an opaque payload, headers, and an optional time
 * before which the event must not be delivered.
 *
 * <p>Immutable: the payload is copied in and out.
 *
 * @param key partition key; events with equal keys go to the same partition, in commit order
 * @param payload the event body, never null (may be empty)
 * @param headers string metadata, never null (may be empty)
 * @param deliverAt earliest delivery time, or null to deliver as soon as committed
 */
public record Message(String key, byte[] payload, Map<String, String> headers, Instant deliverAt) {

  /** @throws InvalidArgumentException if key, payload, headers or a header entry is null */
  public Message {
    if (key == null || payload == null || headers == null) {
      throw new InvalidArgumentException("message needs a key, a payload and headers", Map.of());
    }
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidArgumentException("header names and values must not be null", Map.of());
      }
    }
    payload = payload.clone();
    headers = Map.copyOf(headers);
  }

  /** A message for immediate delivery without headers. */
  public static Message of(String key, byte[] payload) {
    return new Message(key, payload, Map.of(), null);
  }

  /** This message with headers. */
  public Message withHeaders(Map<String, String> value) {
    return new Message(key, payload, value, deliverAt);
  }

  /** This message, not delivered before {@code time}. */
  public Message deliverAt(Instant time) {
    return new Message(key, payload, headers, time);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
