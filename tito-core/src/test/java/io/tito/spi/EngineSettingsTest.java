package io.tito.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

  private static final Set<String> KNOWN = Set.of("path", "size", "count", "flag");

  @Test
  void unknownNamesAreRejectedListingUnknownAndKnown() {
    assertThatThrownBy(() -> EngineSettings.of("e", Map.of("path", "p", "ttl", "3"), KNOWN))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          assertThat(e.staticMessage()).isEqualTo("unknown engine settings");
          assertThat(e.getMessage()).contains("ttl").contains("size").contains("engine=e");
        });
  }

  @Test
  void typedReadsParseOrFallBack() {
    EngineSettings s = EngineSettings.of("e",
        Map.of("path", "p", "size", " 42 ", "count", "7", "flag", "TRUE"), KNOWN);
    assertThat(s.required("path")).isEqualTo("p");
    assertThat(s.getLong("size", 0)).isEqualTo(42);
    assertThat(s.getInt("count", 0)).isEqualTo(7);
    assertThat(s.getBoolean("flag", false)).isTrue();
    EngineSettings empty = EngineSettings.of("e", Map.of(), KNOWN);
    assertThat(empty.has("size")).isFalse();
    assertThat(empty.getLong("size", 5)).isEqualTo(5);
    assertThat(empty.getInt("count", 6)).isEqualTo(6);
    assertThat(empty.getBoolean("flag", true)).isTrue();
    assertThat(empty.get("path")).isNull();
  }

  @Test
  void missingAndMalformedValuesNameTheSettingAndWhatWasExpected() {
    EngineSettings empty = EngineSettings.of("e", Map.of("path", " "), KNOWN);
    assertThatThrownBy(() -> empty.required("path"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("path is required");
    EngineSettings bad = EngineSettings.of("e",
        Map.of("size", "many", "count", "4294967297", "flag", "yes"), KNOWN);
    assertThatThrownBy(() -> bad.getLong("size", 0))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("setting=size").hasMessageContaining("an integer");
    // An int setting beyond int's range is an error, never silently truncated.
    assertThatThrownBy(() -> bad.getInt("count", 0))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("setting=count");
    assertThatThrownBy(() -> bad.getBoolean("flag", false))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("true|false");
  }
}
