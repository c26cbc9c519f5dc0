package io.tito.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchArgsTest {

  @Test
  void wordsBecomeSettingsAndALaterWordWins() {
    Map<String, String> s = BenchArgs.parse(new String[] {"tx=5", "dir=/tmp/a=b", "tx=7", "x="});
    assertThat(s).containsExactlyInAnyOrderEntriesOf(Map.of("tx", "7", "dir", "/tmp/a=b", "x", ""));
  }

  @Test
  void aWordWithoutAKeyIsRefusedByName() {
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"tx=1", "rounds"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rounds");
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"=3"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("=3");
  }
}
