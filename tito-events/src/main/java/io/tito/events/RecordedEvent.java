package io.tito.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tito.InvalidArgumentException;
import io.tito.Stamp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An event as stored: its stream and version, its global position in {@code $all}, and
 * everything its {@link EventData} carried. Immutable.
 */
public final class RecordedEvent {

  private final String streamId;
  private final long version;
  private final Stamp position;
  private final UUID eventId;
  private final String type;
  private final byte[] payload;
  private final Map<String, String> headers;
  private final String causationId;
  private final String correlationId;
  private final Instant createdAt;
  private final ObjectMapper mapper;

  /** Built by the store. */
  RecordedEvent(String streamId, long version, Stamp position, UUID eventId, String type, byte[] payload,
      Map<String, String> headers, String causationId, String correlationId, Instant createdAt,
      ObjectMapper mapper) {
    this.streamId = streamId;
    this.version = version;
    this.position = position;
    this.eventId = eventId;
    this.type = type;
    this.payload = payload;
    this.headers = Map.copyOf(headers);
    this.causationId = causationId;
    this.correlationId = correlationId;
    this.createdAt = createdAt;
    this.mapper = mapper;
  }

  /** The stream. */
  public String streamId() {
    return streamId;
  }

  /** The event's version in its stream (1, 2, 3, ...). */
  public long version() {
    return version;
  }

  /**
   * The global position in {@code $all}, whether the event was read from {@code $all} ({@link
   * EventStore#readAll}), from its stream, or handed to a projection or subscription. Null only
   * for an event appended by the reading transaction itself and not committed yet (positions are
   * fixed at commit).
   */
  public Stamp position() {
    return position;
  }

  /** The event id. */
  public UUID eventId() {
    return eventId;
  }

  /** The event type. */
  public String type() {
    return type;
  }

  /** The payload as UTF-8 JSON bytes (a copy). */
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload as JSON text. */
  public String json() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /**
   * The payload read as {@code type} by the store's Jackson mapper.
   *
   * @throws InvalidArgumentException if it cannot be read as that type
   */
  public <T> T payloadAs(Class<T> valueType) {
    try {
      return mapper.readValue(payload, valueType);
    } catch (IOException e) {
      throw new InvalidArgumentException("event payload cannot be read as " + valueType.getName(),
          Map.of("stream", streamId, "version", version, "type", type, "reason", String.valueOf(e.getMessage())));
    }
  }

  /** Headers (unmodifiable). */
  public Map<String, String> headers() {
    return headers;
  }

  /** The causation id, or null. */
  public String causationId() {
    return causationId;
  }

  /** The correlation id, or null. */
  public String correlationId() {
    return correlationId;
  }

  /** When the event was created. */
  public Instant createdAt() {
    return createdAt;
  }

  /** The same event with its {@code $all} position. */
  RecordedEvent withPosition(Stamp value) {
    return new RecordedEvent(streamId, version, value, eventId, type, payload, headers, causationId,
        correlationId, createdAt, mapper);
  }

  /** Equal when every field is (payloads by content); the mapper is not compared. */
  @Override
  public boolean equals(Object o) {
    return o instanceof RecordedEvent e && version == e.version && streamId.equals(e.streamId)
        && java.util.Objects.equals(position, e.position) && eventId.equals(e.eventId) && type.equals(e.type)
        && java.util.Arrays.equals(payload, e.payload) && headers.equals(e.headers)
        && java.util.Objects.equals(causationId, e.causationId)
        && java.util.Objects.equals(correlationId, e.correlationId) && createdAt.equals(e.createdAt);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(streamId, version, position, eventId);
  }

  @Override
  public String toString() {
    return "RecordedEvent{" + streamId + "@" + version + (position == null ? "" : ", position=" + position)
        + ", " + type + "}";
  }
}
