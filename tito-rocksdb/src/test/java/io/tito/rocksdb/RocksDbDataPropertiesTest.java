package io.tito.rocksdb;

import io.tito.spi.Engine;
import io.tito.testkit.data.IndexConsistencyProperties;
import io.tito.testkit.data.PagingProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import net.jqwik.api.PropertyDefaults;

/**
 * The data properties on RocksDB, a fresh store directory per try. Fewer tries than on the memory
 * engine (each try opens and deletes a store): 300 operation sequences, 500 paging cases.
 */
class RocksDbDataPropertiesTest {

  private static Engine open(Path[] holder) {
    try {
      holder[0] = Files.createTempDirectory("tito-data-props");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return RocksDbEngine.open(RocksDbOptions.builder(holder[0]).durability(Durability.NONE)
        .blockCacheBytes(8L << 20).build());
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @PropertyDefaults(tries = 300)
  static class IndexConsistency extends IndexConsistencyProperties {
    private final Path[] dir = new Path[1];

    @Override
    protected Engine createEngine() {
      return open(dir);
    }

    @Override
    protected void afterTry() {
      delete(dir[0]);
    }
  }

  @PropertyDefaults(tries = 500)
  static class Paging extends PagingProperties {
    private final Path[] dir = new Path[1];

    @Override
    protected Engine createEngine() {
      return open(dir);
    }

    @Override
    protected void afterTry() {
      delete(dir[0]);
    }
  }
}
