package io.tito.rocksdb;

import io.tito.spi.Engine;
import io.tito.testkit.docs.DocumentAcceptanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The document-store acceptance kit on RocksDB, a fresh store directory per test. */
class RocksDbDocumentAcceptanceTest extends DocumentAcceptanceTest {

  @TempDir Path root;
  private int stores;

  @Override
  protected Engine createEngine() {
    return RocksDbEngine.open(RocksDbOptions.builder(root.resolve("docs-" + stores++))
        .durability(Durability.NONE)
        .blockCacheBytes(8L << 20)
        .build());
  }
}
