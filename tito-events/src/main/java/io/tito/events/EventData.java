package io.tito.events;

import io.tito.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An event to append: type, JSON payload, headers, causation and correlation ids, creation time
 * and event id. Immutable; build it with {@link #builder(String)} or {@link #of(String, Object)}.
 *
 * <p>The event id defaults to a random UUID. An id set explicitly makes the event idempotent: a
 * later append carrying an event with the same id and the same content (stream, type, payload,
 * headers) is recognised as a retry and returns the original result; different content is an
 * {@link IdempotencyConflictException}. The creation time defaults to the store's clock at append.
 */
public final class EventData {

  private final UUID eventId;
  private final boolean explicitId;
  private final String type;
  private final byte[] payload;
  private final Object payloadObject;
  private final Map<String, String> headers;
  private final String causationId;
  private final String correlationId;
  private final Instant createdAt;

  private EventData(Builder b) {
    this.explicitId = b.eventId != null;
    this.eventId = b.eventId != null ? b.eventId : io.tito.internal.events.EventIds.next(java.time.Clock.systemUTC());
    this.type = b.type;
    this.payload = b.payload;
    this.payloadObject = b.payloadObject;
    this.headers = b.headers.isEmpty() ? Collections.emptyMap()
        : Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.causationId = b.causationId;
    this.correlationId = b.correlationId;
    this.createdAt = b.createdAt;
  }

  /** An event of {@code type} whose payload is {@code payload} serialised by the store's Jackson mapper. */
  public static EventData of(String type, Object payload) {
    return builder(type).payload(payload).build();
  }

  /** An event of {@code type} with the raw JSON {@code json} as payload. */
  public static EventData ofJson(String type, String json) {
    return builder(type).json(json).build();
  }

  /** A builder for an event of {@code type} (checked at append: non-empty, at most 256 chars). */
  public static Builder builder(String type) {
    return new Builder(type);
  }

  /** The event id: unless set, a new UUID version 7 (creation millisecond, then random bits). */
  public UUID eventId() {
    return eventId;
  }

  /** Whether the id was set by the caller (it then takes part in idempotency checks). */
  public boolean hasExplicitId() {
    return explicitId;
  }

  /** The event type. */
  public String type() {
    return type;
  }

  /**
   * The payload as UTF-8 JSON bytes, or null if it is an object still to be serialised: the
   * event's own array, not a copy (the store only reads it and never lets it out).
   */
  byte[] rawPayload() {
    return payload;
  }

  /** The payload object given to {@link Builder#payload(Object)}, or null. */
  Object payloadObject() {
    return payloadObject;
  }

  /** Headers in insertion order (unmodifiable). */
  public Map<String, String> headers() {
    return headers;
  }

  /** The id of the event or command that caused this one, or null. */
  public String causationId() {
    return causationId;
  }

  /** The id correlating this event with others of one conversation, or null. */
  public String correlationId() {
    return correlationId;
  }

  /** The creation time, or null for the store's clock at append. */
  public Instant createdAt() {
    return createdAt;
  }

  @Override
  public String toString() {
    return "EventData{" + type + ", id=" + eventId + "}";
  }

  /** Builds an {@link EventData}. Not thread-safe. */
  public static final class Builder {
    private final String type;
    private UUID eventId;
    private byte[] payload;
    private Object payloadObject;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String causationId;
    private String correlationId;
    private Instant createdAt;

    private Builder(String type) {
      this.type = type;
    }

    /** The payload: serialised to JSON by the store's mapper at append. */
    public Builder payload(Object value) {
      this.payloadObject = value;
      this.payload = null;
      return this;
    }

    /** The payload as JSON text (checked at append to be well-formed JSON). */
    public Builder json(String value) {
      this.payload = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
      this.payloadObject = null;
      return this;
    }

    /** The payload as UTF-8 JSON bytes (copied; checked at append). */
    public Builder jsonBytes(byte[] value) {
      this.payload = value == null ? null : Arrays.copyOf(value, value.length);
      this.payloadObject = null;
      return this;
    }

    /** Sets the event id (making the event idempotent; see the class comment). */
    public Builder eventId(UUID value) {
      this.eventId = Objects.requireNonNull(value, "eventId");
      return this;
    }

    /** Adds a header. */
    public Builder header(String name, String value) {
      if (name == null || value == null) {
        throw new InvalidArgumentException("header name and value must not be null", Map.of());
      }
      headers.put(name, value);
      return this;
    }

    /** Sets the causation id. */
    public Builder causationId(String value) {
      this.causationId = value;
      return this;
    }

    /** Sets the correlation id. */
    public Builder correlationId(String value) {
      this.correlationId = value;
      return this;
    }

    /** Sets the creation time (default: the store's clock at append). */
    public Builder createdAt(Instant value) {
      this.createdAt = value;
      return this;
    }

    public EventData build() {
      return new EventData(this);
    }
  }
}
