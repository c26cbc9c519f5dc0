package io.tito.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Raw JSON payloads are checked by streaming their tokens: exactly one well-formed value is
 * accepted as given, anything else is refused before anything is written.
 */
class PayloadValidationTest {

  @Test
  void oneWellFormedValueOfAnyKindIsStoredAsGiven() {
    try (Tito tito = open()) {
      EventStore events = tito.module(EventStore.class);
      String[] good = {"{\"a\":[1,{\"b\":\"c\\u00e9\"}],\"d\":null}", "[]", "42", "-1.5e3",
          "\"text\"", "true", "null", " {\"x\" : 1 } "};
      for (int i = 0; i < good.length; i++) {
        events.append("ok", ExpectedVersion.ANY, EventData.ofJson("A", good[i]));
      }
      StreamSlice read = events.readStream("ok", 1, 100);
      assertThat(read.events()).extracting(RecordedEvent::json).containsExactly(good);
    }
  }

  @Test
  void malformedTruncatedEmptyOrTrailingPayloadsAreRefusedAndNothingIsWritten() {
    try (Tito tito = open()) {
      EventStore events = tito.module(EventStore.class);
      String[] bad = {"", "   ", "{", "[1,2", "{\"a\":}", "{\"a\":1,}", "{} {}", "1 2", "\"open",
          "\"bad \\q escape\"", "[1] x", "{a:1}", "nul"};
      for (String json : bad) {
        assertThatThrownBy(() -> events.append("bad", ExpectedVersion.ANY,
            EventData.ofJson("A", "{}"), EventData.ofJson("A", json)))
            .as(json).isInstanceOf(InvalidArgumentException.class);
      }
      byte[] badUtf8 = "[\"x\"]".getBytes(StandardCharsets.UTF_8);
      badUtf8[2] = (byte) 0xC3; // a lead byte followed by a quote, not a continuation byte
      assertThatThrownBy(() -> events.append("bad", ExpectedVersion.ANY,
          EventData.builder("A").jsonBytes(badUtf8).build()))
          .isInstanceOf(InvalidArgumentException.class);
      assertThat(events.streamInfo("bad").exists()).isFalse();
    }
  }

  private static Tito open() {
    return Tito.builder().engine(new MemoryEngine()).with(EventStore.builder()).build();
  }
}
