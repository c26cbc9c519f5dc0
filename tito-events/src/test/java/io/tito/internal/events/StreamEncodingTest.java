package io.tito.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import io.tito.tuple.TupleWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The per-stream encoders an append uses give exactly the keys and $all values of the one-off forms. */
class StreamEncodingTest {

  private static final List<String> STREAMS = List.of("a", "account-1", "with\u0000zero", "\u00e9t\u00e9-\ud83d\ude00", "");
  private static final long[] VERSIONS = {0, 1, 9, 255, 256, 65_536, Long.MAX_VALUE, -1};

  @Test
  void eventKeysFromTheStreamSubspaceAreTheEventKeys() {
    EventKeys keys = new EventKeys(new Subspace(new byte[] {0x15, 0x02}));
    for (String stream : STREAMS) {
      Subspace events = keys.streamEvents(stream);
      for (long v : VERSIONS) {
        assertThat(events.pack(v)).as("%s v%d", stream, v).isEqualTo(keys.event(stream, v));
        // How Appender writes them.
        assertThat(new TupleWriter(events.key(), 9).add(v).toBytes()).as("%s v%d", stream, v)
            .isEqualTo(keys.event(stream, v));
      }
    }
  }

  @Test
  void storedEventsKeepTheirTupleEncoding() {
    UUID id = new UUID(0x0123456789abcdefL, 0xfedcba9876543210L);
    Instant at = Instant.parse("2026-11-30T12:00:00.123456Z");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("b", "1");
    headers.put("a", "\u0000");
    for (Map<String, String> h : List.of(Map.<String, String>of(), headers)) {
      for (byte[] payload : List.of("{\"amount\":1}".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 0})) {
        for (String causation : Arrays.asList(null, "c\u0000")) {
          StoredEvent e = new StoredEvent(id, "Deposited", payload, h, causation, "corr", at);
          List<Object> flat = new ArrayList<>();
          h.forEach((k, v) -> {
            flat.add(k);
            flat.add(v);
          });
          long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
          assertThat(e.encode()).isEqualTo(Tuple.of(1L, id, "Deposited", payload, Tuple.fromList(flat),
              causation, "corr", micros).pack());
          StoredEvent back = StoredEvent.decode(e.encode());
          assertThat(back.payload()).isEqualTo(payload);
          assertThat(back.headers()).isEqualTo(h);
          assertThat(back.causationId()).isEqualTo(causation);
          assertThat(back.createdAt()).isEqualTo(at);
        }
      }
    }
  }

  @Test
  void allEntriesFromTheStreamEncoderAreTheEntries() {
    for (String stream : STREAMS) {
      AllEntry.Encoder encoder = AllEntry.encoder(stream);
      for (long v : VERSIONS) {
        for (List<String> types : List.of(List.of("Deposited"), List.of("t\u0000ype", "", "Deposited"))) {
          byte[] encoded = encoder.encode(v, types);
          assertThat(encoded).as("%s v%d %s", stream, v, types).isEqualTo(AllEntry.encode(stream, v, types));
          List<AllEntry> back = AllEntry.decode(encoded);
          assertThat(AllEntry.count(encoded)).isEqualTo(types.size());
          assertThat(back).hasSize(types.size());
          for (int i = 0; i < types.size(); i++) {
            assertThat(back.get(i)).isEqualTo(new AllEntry(stream, v + i, types.get(i), v));
            assertThat(back.get(i).indexInRow()).isEqualTo(i);
          }
        }
        // An entry of one event is the entry every event had before rows held several.
        assertThat(AllEntry.encode(stream, v, List.of("T"))).isEqualTo(io.tito.tuple.Tuple.of(stream, v, "T").pack());
      }
    }
  }
}
