package io.tito.rocksdb;

import io.tito.spi.Engine;
import io.tito.testkit.events.EventStoreAcceptanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The event-store acceptance kit on RocksDB, a fresh store directory per test. */
class RocksDbEventStoreAcceptanceTest extends EventStoreAcceptanceTest {

  @TempDir Path root;
  private int stores;

  @Override
  protected Engine createEngine() {
    return RocksDbEngine.open(RocksDbOptions.builder(root.resolve("events-" + stores++))
        .durability(Durability.NONE)
        .blockCacheBytes(8L << 20)
        .build());
  }
}
