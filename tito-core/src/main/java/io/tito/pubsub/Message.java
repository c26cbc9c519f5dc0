package io.tito.pubsub;

import io.tito.InvalidArgumentException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What a producer publishes: a partition key, an opaque payload, headers, an optional time before
 * which the event must not be delivered, and an optional caller-chosen id.
 *
 * <p>Immutable: the payload is copied in and out.
 *
 * @param key partition key; events with equal keys go to the same partition, in commit order
 * @param payload the event body, never null (may be empty)
 * @param headers string metadata, never null (may be empty)
 * @param deliverAt earliest delivery time, or null to deliver as soon as committed
 * @param id the event's id chosen by the caller, making the publish idempotent (see {@link
 *     #withId}), or null to have a fresh one assigned at publish
 */
public record Message(String key, byte[] payload, Map<String, String> headers, Instant deliverAt,
    UUID id) {

  /**
   * @throws InvalidArgumentException naming what is null: key, payload, headers or a header entry
   */
  public Message {
    if (key == null || payload == null || headers == null) {
      throw new InvalidArgumentException("message needs a key, a payload and headers",
          Map.of("setting", key == null ? "key" : payload == null ? "payload" : "headers"));
    }
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new InvalidArgumentException("header names and values must not be null",
            Map.of("setting", "headers", "header", String.valueOf(e.getKey())));
      }
    }
    payload = payload.clone();
    headers = Map.copyOf(headers);
  }

  /** A message without a caller-chosen id (one is assigned at publish). */
  public Message(String key, byte[] payload, Map<String, String> headers, Instant deliverAt) {
    this(key, payload, headers, deliverAt, null);
  }

  /** A message for immediate delivery without headers. */
  public static Message of(String key, byte[] payload) {
    return new Message(key, payload, Map.of(), null, null);
  }

  /** This message with headers. */
  public Message withHeaders(Map<String, String> value) {
    return new Message(key, payload, value, deliverAt, id);
  }

  /** This message, not delivered before {@code time}. */
  public Message deliverAt(Instant time) {
    return new Message(key, payload, headers, time, id);
  }

  /**
   * This message with a caller-chosen event id, which makes publishing it idempotent: publishing a
   * message whose id the topic already holds is a no-op that returns the first publish's receipt,
   * in the same transaction or any later one. So a publish whose commit outcome is unknown (a
   * {@link io.tito.CommitUnknownException}) can simply be retried. The second message's content
   * is not compared. The topic remembers an id for as long as its event is kept: while it waits
   * for its due time, and in the log until retention deletes it (see {@link TopicConfig#retention});
   * after that the id may be used again. Consumers see it as {@link Event#id()}; ids must be
   * unique within a topic.
   *
   * @throws InvalidArgumentException if {@code value} is null
   */
  public Message withId(UUID value) {
    if (value == null) {
      throw new InvalidArgumentException("message id must not be null", Map.of("setting", "id"));
    }
    return new Message(key, payload, headers, deliverAt, value);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload itself, not a copy: for {@link Topics#publish}, which only reads it. */
  byte[] sharedPayload() {
    return payload;
  }
}
