package io.tito.internal.pubsub;

import io.tito.pubsub.Event;
import io.tito.tuple.Tuple;
import io.tito.tuple.TupleWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Stored form of an event (the same bytes under "log" and "due" keys): the tuple
 * {@code (1, id, key, payload, (h1, v1, h2, v2, ...), publishedAt, deliverAt|null)}.
 * Topic, partition and position come from the key.
 */
public final class EventCodec {

  private static final long VERSION = 1;

  private EventCodec() {}

  public static byte[] encode(UUID id, String key, byte[] payload, Map<String, String> headers,
      Instant publishedAt, Instant deliverAt) {
    Tuple h = Tuple.EMPTY;
    if (!headers.isEmpty()) {
      List<Object> sorted = new ArrayList<>(headers.size() * 2);
      for (Map.Entry<String, String> e : new TreeMap<>(headers).entrySet()) {
        sorted.add(e.getKey());
        sorted.add(e.getValue());
      }
      h = Tuple.fromList(sorted);
    }
    // Byte for byte Tuple.of(VERSION, id, key, payload, h, publishedAt, deliverAt).pack(),
    // without the tuple and its copy of the payload (TupleWriter encodes each element as added).
    // Room for the payload escaped at worst (every byte 0x00 takes two), so the buffer never
    // grows: binary payloads are often mostly zeros.
    int expected = 64 + (payload == null ? 0 : 2 * payload.length) + (key == null ? 0 : 2 * key.length());
    return new TupleWriter(NO_PREFIX, expected).add(VERSION).add(id).add(key).add(payload)
        .addObject(h).addObject(publishedAt).addObject(deliverAt).toBytes();
  }

  private static final byte[] NO_PREFIX = new byte[0];

  /** Decodes, or throws {@link RuntimeException} of some kind if the bytes are not an event. */
  public static Event decode(String topic, int partition, long position, byte[] bytes) {
    Tuple t = Tuple.unpack(bytes);
    if (t.getLong(0) != VERSION || t.size() != 7) {
      throw new IllegalStateException("unknown event format");
    }
    Tuple h = t.getNested(4);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i + 1 < h.size(); i += 2) {
      headers.put(h.getString(i), h.getString(i + 1));
    }
    return new Event(topic, partition, position, t.getUuid(1), t.getString(2), t.getBytes(3),
        headers, t.getInstant(5), t.isNull(6) ? null : t.getInstant(6));
  }

  /** The event id, or null if undecodable. */
  public static UUID id(byte[] bytes) {
    try {
      return Tuple.unpack(bytes).getUuid(1);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The publish time, or null if undecodable. */
  public static Instant publishedAt(byte[] bytes) {
    try {
      return Tuple.unpack(bytes).getInstant(5);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
