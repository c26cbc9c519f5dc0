package io.tito.events;

import java.util.List;

/**
 * One append: events for a stream, the expected version, and an optional idempotency key.
 *
 * @param streamId the stream (non-empty, at most {@value EventStore#MAX_NAME_LENGTH} chars)
 * @param expected what the stream's version must be
 * @param events the events, in order (at least one, at most the store's
 *     {@linkplain EventStore.Builder#maxEventsPerAppend maximum})
 * @param idempotencyKey null, or a key naming this append: a retry with the same key and content
 *     returns the original result, the same key with other content is an
 *     {@link IdempotencyConflictException}. Kept until the stream is deleted.
 */
public record AppendRequest(String streamId, ExpectedVersion expected, List<EventData> events,
    String idempotencyKey) {

  public AppendRequest {
    events = events == null ? null : List.copyOf(events);
  }

  /** An append without idempotency key. */
  public static AppendRequest of(String streamId, ExpectedVersion expected, List<EventData> events) {
    return new AppendRequest(streamId, expected, events, null);
  }

  /** The same append with an idempotency key. */
  public AppendRequest withIdempotencyKey(String key) {
    return new AppendRequest(streamId, expected, events, key);
  }
}
