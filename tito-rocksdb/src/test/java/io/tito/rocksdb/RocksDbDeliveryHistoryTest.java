package io.tito.rocksdb;

import io.tito.spi.Engine;
import io.tito.testkit.pubsub.DeliveryHistoryTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The delivery history test on RocksDB, in a fresh store directory. */
class RocksDbDeliveryHistoryTest extends DeliveryHistoryTest {

  @TempDir Path root;

  @Override
  protected Engine createEngine() {
    return RocksDbEngine.open(RocksDbOptions.builder(root.resolve("delivery"))
        .durability(Durability.NONE)
        .blockCacheBytes(8L << 20)
        .build());
  }
}
