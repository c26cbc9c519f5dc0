package io.tito.rocksdb;

import io.tito.spi.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** One throwaway RocksDB store at a time for the data property kits (jqwik has no @TempDir). */
final class RocksDbDataStores {

  private Path dir;

  Engine open() {
    try {
      dir = Files.createTempDirectory("tito-data-props");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return RocksDbEngine.open(RocksDbOptions.builder(dir).durability(Durability.NONE)
        .blockCacheBytes(8L << 20).build());
  }

  void delete() {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      dir = null;
    }
  }
}
