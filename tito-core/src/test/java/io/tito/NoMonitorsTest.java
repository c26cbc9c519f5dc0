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

  /** The library modules whose main code the rule covers (the test kits, bench and examples not). */
  private static final List<String> LIBRARY_MODULES =
      List.of("tito-core", "tito-data", "tito-events", "tito-docs", "tito-rocksdb", "tito-jdbc",
          "tito-etcd");

  @Test
  void libraryMainSourcesTakeNoMonitors() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> found = new ArrayList<>();
    for (String module : LIBRARY_MODULES) {
      Path main = root.resolve(module).resolve("src/main/java");
      assertThat(main).as(module + " sources").isDirectory();
      try (Stream<Path> files = Files.walk(main)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          List<String> lines = Files.readAllLines(f);
          for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
              continue;
            }
            if (MONITOR.matcher(line).find()) {
              found.add(root.relativize(f) + ":" + (i + 1) + ": " + line);
            }
          }
        }
      }
    }
    assertThat(found).as("synchronized in library code (use ReentrantLock)").isEmpty();
  }
}
