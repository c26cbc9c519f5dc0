package io.tito.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk loader's many-file path (the conformance kit's loads fit in one file): with small files,
 * many are built on the builder threads at once and ingested together, in key order; a loader
 * closed after building some leaves the store empty and no staging directory.
 */
class RocksDbBulkLoaderTest {

  private static final int ENTRIES = 20_000;

  @TempDir Path dir;

  private static byte[] key(int i) {
    return String.format("k%08d", i).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] value(int i) {
    return ("value of " + i + " " + "x".repeat(i % 50)).getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void manyFilesBuiltAtOnceAreIngestedInKeyOrder() throws IOException {
    try (RocksDbEngine engine = RocksDbEngine.open(dir.resolve("store"))) {
      long loaded;
      try (RocksDbBulkLoader loader = RocksDbBulkLoader.open(engine, 4096)) {
        for (int i = 0; i < ENTRIES; i++) {
          loader.add(key(i), value(i));
        }
        assertThat(scan(engine)).as("nothing visible before finish").isEmpty();
        loaded = loader.finish();
      }
      assertThat(loaded).isEqualTo(ENTRIES);
      List<KeyValue> all = scan(engine);
      assertThat(all).hasSize(ENTRIES);
      for (int i = 0; i < ENTRIES; i++) {
        assertThat(all.get(i).key()).as("key %d", i).isEqualTo(key(i));
        assertThat(all.get(i).value()).as("value %d", i).isEqualTo(value(i));
      }
      assertThat(stagingDirectories(engine)).as("staging directories left").isEmpty();
    }
  }

  @Test
  void aLoaderClosedAfterBuildingFilesLeavesNothing() throws IOException {
    try (RocksDbEngine engine = RocksDbEngine.open(dir.resolve("store"))) {
      try (RocksDbBulkLoader loader = RocksDbBulkLoader.open(engine, 4096)) {
        for (int i = 0; i < ENTRIES; i++) {
          loader.add(key(i), value(i));
        }
      }
      assertThat(scan(engine)).isEmpty();
      assertThat(stagingDirectories(engine)).as("staging directories left").isEmpty();
      try (RocksDbBulkLoader loader = RocksDbBulkLoader.open(engine, 4096)) {
        loader.add(key(1), value(1));
        assertThat(loader.finish()).isEqualTo(1);
      }
      assertThat(scan(engine)).hasSize(1);
    }
  }

  private static List<KeyValue> scan(RocksDbEngine engine) {
    List<KeyValue> out = new ArrayList<>();
    try (EngineTransaction tx = engine.begin(true);
        KeyValueCursor c = tx.scan(new byte[0], new byte[] {(byte) 0xFF}, ScanOptions.FORWARD)) {
      while (c.hasNext()) {
        out.add(c.next());
      }
    }
    return out;
  }

  private static List<Path> stagingDirectories(RocksDbEngine engine) throws IOException {
    try (Stream<Path> s = Files.list(engine.storePath())) {
      return s.filter(p -> p.getFileName().toString().startsWith("bulk-load-")).toList();
    }
  }
}
