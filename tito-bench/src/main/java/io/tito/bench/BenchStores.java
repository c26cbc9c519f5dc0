package io.tito.bench;

import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Opens the stores benchmarks compare, by a short name, in a fresh temporary directory. */
final class BenchStores {

  private BenchStores() {}

  /**
   * Opens {@code memory}, or {@code rocksdb-<durability>} (sync, group, periodic, none) in
   * {@code dir}.
   */
  static Tito open(String store, Path dir) {
    if (store.equals("memory")) {
      return Tito.open(new MemoryEngine());
    }
    if (store.startsWith("rocksdb-")) {
      String durability = store.substring("rocksdb-".length());
      return Tito.builder()
          .engine("rocksdb", Map.of("path", dir.toString(), "durability", durability))
          .build();
    }
    throw new IllegalArgumentException("unknown store " + store);
  }

  static Path tempDir() throws IOException {
    return Files.createTempDirectory("tito-bench");
  }

  static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
