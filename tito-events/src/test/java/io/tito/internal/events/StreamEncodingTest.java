package io.tito.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.tuple.Subspace;
import java.util.List;
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
      }
    }
  }

  @Test
  void allEntriesFromTheStreamEncoderAreTheEntries() {
    for (String stream : STREAMS) {
      AllEntry.Encoder encoder = AllEntry.encoder(stream);
      for (long v : VERSIONS) {
        for (String type : List.of("Deposited", "t\u0000ype", "")) {
          byte[] encoded = encoder.encode(v, type);
          assertThat(encoded).as("%s v%d %s", stream, v, type)
              .isEqualTo(new AllEntry(stream, v, type).encode());
          assertThat(AllEntry.decode(encoded)).isEqualTo(new AllEntry(stream, v, type));
        }
      }
    }
  }
}
