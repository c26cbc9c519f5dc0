package io.tito.backup;

import io.tito.rocksdb.RocksDbEngine;
import io.tito.spi.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterContainer;

@PropertyDefaults(tries = 25)
class RocksDbRoundTripPropertiesTest extends RoundTripProperties {

  private static final List<Path> DIRS = new CopyOnWriteArrayList<>();

  @Override
  protected Engine createEngine() {
    try {
      Path dir = Files.createTempDirectory("tito-backup-rocks");
      DIRS.add(dir);
      return RocksDbEngine.open(dir.resolve("store"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterContainer
  static void deleteDirectories() throws IOException {
    for (Path dir : DIRS) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
