package io.tito.rocksdb;

import io.tito.spi.Engine;
import io.tito.testkit.data.DataAcceptanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The data acceptance kit on RocksDB, a fresh store directory per test. */
class RocksDbDataAcceptanceTest extends DataAcceptanceTest {

  @TempDir Path root;
  private int stores;

  @Override
  protected Engine createEngine() {
    return RocksDbEngine.open(RocksDbOptions.builder(root.resolve("data-" + stores++))
        .durability(Durability.NONE)
        .blockCacheBytes(8L << 20)
        .build());
  }
}
