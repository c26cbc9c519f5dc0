package io.tito;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The lock rule of docs/DESIGN-NOTES.md ("Locks and virtual threads"): library code takes no
 * monitors ({@code synchronized} blocks or methods), since on JDK 21 a virtual thread that blocks
 * while holding one pins its carrier; it uses {@link java.util.concurrent.locks.ReentrantLock},
 * atomics or concurrent collections instead.
 */
class NoMonitorsTest {

  private static final Pattern MONITOR = Pattern.compile("\\bsynchronized\\s*[({]|\\bsynchronized\\s+\\w");

  @Test
  void coreMainSourcesTakeNoMonitors() throws IOException {
    Path main = Path.of("src/main/java");
    assertThat(main).isDirectory();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
            continue;
          }
          if (MONITOR.matcher(line).find()) {
            found.add(main.relativize(f) + ":" + (i + 1) + ": " + line);
          }
        }
      }
    }
    assertThat(found).as("synchronized in library code (use ReentrantLock)").isEmpty();
  }
}
