package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.pubsub.Event;
import io.tito.tuple.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The stored event envelope: written by a tuple writer, it must stay the tuple it always was. */
class EventCodecTest {

  private static final UUID ID = new UUID(0x0123456789abcdefL, 0x7edcba9876543210L);
  private static final Instant AT = Instant.parse("2026-11-30T19:00:00.123456Z");

  /** What encode wrote before it used a tuple writer: the reference layout. */
  private static byte[] reference(UUID id, String key, byte[] payload, Map<String, String> headers,
      Instant publishedAt, Instant deliverAt) {
    List<Object> h = new java.util.ArrayList<>();
    new java.util.TreeMap<>(headers).forEach((k, v) -> {
      h.add(k);
      h.add(v);
    });
    return Tuple.of(1L, id, key, payload, Tuple.fromList(h), publishedAt, deliverAt).pack();
  }

  @Test
  void encodingIsTheReferenceTupleByteForByte() {
    byte[] payload = {0, 1, (byte) 0xFF, 0, 42};
    Map<String, String> headers = Map.of("b", "2", "a", "1", "é", "ü");
    for (String key : new String[] {null, "", "user-1", "clé"}) {
      for (Map<String, String> hs : List.of(Map.<String, String>of(), headers)) {
        for (Instant deliverAt : new Instant[] {null, AT.plusSeconds(5)}) {
          assertThat(EventCodec.encode(ID, key, payload, hs, AT, deliverAt))
              .isEqualTo(reference(ID, key, payload, hs, AT, deliverAt));
        }
      }
    }
  }

  @Test
  void anEncodedEventDecodesToWhatWasPublished() {
    byte[] bytes = EventCodec.encode(ID, "k", new byte[] {7, 0, 7}, Map.of("x", "y"), AT, null);
    Event e = EventCodec.decode("t", 3, 9, bytes);
    assertThat(e.id()).isEqualTo(ID);
    assertThat(e.key()).isEqualTo("k");
    assertThat(e.payload()).containsExactly(7, 0, 7);
    assertThat(e.headers()).containsExactly(Map.entry("x", "y"));
    assertThat(EventCodec.id(bytes)).isEqualTo(ID);
  }
}
