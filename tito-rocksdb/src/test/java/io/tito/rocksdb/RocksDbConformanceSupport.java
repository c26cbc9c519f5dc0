package io.tito.rocksdb;

import io.tito.spi.Engine;
import io.tito.testkit.EngineConformanceTest;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the conformance kit against a RocksDB store in a fresh directory per test, in one
 * durability mode. JUnit deletes the directory after the kit has closed the engine.
 */
abstract class RocksDbConformanceSupport extends EngineConformanceTest {

  @TempDir Path root;
  private final Map<Engine, Path> paths = new IdentityHashMap<>();
  private int stores;

  abstract Durability durability();

  @Override
  protected Engine createEngine() {
    return open(root.resolve("store-" + stores++));
  }

  @Override
  protected Engine reopenEngine(Engine closed) {
    Path dir = paths.remove(closed);
    if (dir == null) {
      throw new IllegalStateException("not an engine of this test: " + closed);
    }
    return open(dir);
  }

  private Engine open(Path dir) {
    RocksDbEngine engine = RocksDbEngine.open(RocksDbOptions.builder(dir)
        .durability(durability())
        .blockCacheBytes(8L << 20)
        .build());
    paths.put(engine, dir);
    return engine;
  }
}
