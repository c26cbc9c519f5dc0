package io.tito.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {

  @Test
  void walkThroughOnTheMemoryEngine() throws Exception {
    try (Tito tito = Tito.open("memory:")) {
      assertWalkThrough(tito);
    }
  }

  @Test
  void walkThroughOnRocksDbTwiceInTheSameDirectory(@TempDir Path dir) throws Exception {
    for (int i = 0; i < 2; i++) {
      try (Tito tito = Tito.open("rocksdb:" + dir)) {
        assertWalkThrough(tito);
      }
    }
  }

  private static void assertWalkThrough(Tito tito) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    QuickStart.run(tito, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).containsExactly(
        "Wrote 6 readings in one transaction",
        "Read back: Lisbon is 22.0 C",
        "Coldest first (forward scan):",
        "  -12.5 Oslo -> Oslo is -12.5 C",
        "  -3.0 Reykjavik -> Reykjavik is -3.0 C",
        "  0.0 London -> London is 0.0 C",
        "  8.25 Lima -> Lima is 8.25 C",
        "  22.0 Lisbon -> Lisbon is 22.0 C",
        "  31.0 Cairo -> Cairo is 31.0 C",
        "Three warmest (reverse scan, limit 3):",
        "  31.0 Cairo -> Cairo is 31.0 C",
        "  22.0 Lisbon -> Lisbon is 22.0 C",
        "  8.25 Lima -> Lima is 8.25 C",
        "4 threads x 50 increments, conflicts retried: counter = 200");
  }
}
