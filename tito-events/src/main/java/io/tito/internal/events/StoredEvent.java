package io.tito.internal.events;

import io.tito.tuple.Tuple;
import io.tito.tuple.TupleWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An event's stored form, the value at its stream key: a tuple (format 1, id, type, payload,
 * headers as a nested tuple of alternating names and values, causation, correlation, created-at
 * in microseconds).
 */
public record StoredEvent(UUID eventId, String type, byte[] payload, Map<String, String> headers,
    String causationId, String correlationId, Instant createdAt) {

  private static final long FORMAT = 1;

  /** The headers as a nested tuple of alternating names and values, none: the empty tuple. */
  private Tuple headerTuple() {
    if (headers.isEmpty()) {
      return Tuple.EMPTY;
    }
    List<Object> h = new ArrayList<>(headers.size() * 2);
    headers.forEach((k, v) -> {
      h.add(k);
      h.add(v);
    });
    return Tuple.fromList(h);
  }

  /**
   * The stored form: {@code Tuple.of(1, eventId, type, payload, headers, causationId,
   * correlationId, createdAtMicros).pack()}, written without building the tuple.
   */
  public byte[] encode() {
    long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1000;
    return new TupleWriter(NO_PREFIX, 40 + type.length() + payload.length)
        .add(FORMAT).add(eventId).add(type).add(payload).addObject(headerTuple())
        .add(causationId).add(correlationId).add(micros).toBytes();
  }

  private static final byte[] NO_PREFIX = new byte[0];

  /** This event as {@link #decode} returns it once stored: created-at to the microsecond. */
  public StoredEvent withStoredPrecision() {
    Instant stored = createdAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    return stored.equals(createdAt) ? this
        : new StoredEvent(eventId, type, payload, headers, causationId, correlationId, stored);
  }

  public static StoredEvent decode(byte[] bytes) {
    Tuple t = Tuple.unpack(bytes);
    Tuple h = t.getNested(4);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i + 1 < h.size(); i += 2) {
      headers.put(h.getString(i), h.getString(i + 1));
    }
    long micros = t.getLong(7);
    return new StoredEvent(t.getUuid(1), t.getString(2), t.getBytes(3), headers,
        t.isNull(5) ? null : t.getString(5), t.isNull(6) ? null : t.getString(6),
        Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000));
  }

  /** A hash of what idempotency compares: type, payload, headers, causation and correlation. */
  public byte[] contentHash(String stream) {
    MessageDigest d = sha256();
    List<Object> h = new ArrayList<>();
    headers.forEach((k, v) -> {
      h.add(k);
      h.add(v);
    });
    d.update(Tuple.of(stream, type, payload, Tuple.fromList(h), causationId, correlationId).pack());
    return d.digest();
  }

  /** A hash over several events' hashes. */
  public static byte[] combine(List<byte[]> hashes) {
    MessageDigest d = sha256();
    for (byte[] h : hashes) {
      d.update(h);
    }
    return d.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /** UTF-8 bytes of {@code s}. */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
