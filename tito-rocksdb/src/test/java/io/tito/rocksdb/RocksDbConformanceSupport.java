package io.tito.rocksdb;

import io.tito.spi.Engine;
import io.tito.testkit.EngineConformanceTest;
import io.tito.testkit.FaultPoints;
import io.tito.testkit.FaultPoints.Point;
import io.tito.testkit.FaultSwitchboard;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the conformance kit against a RocksDB store in a fresh directory per test, in one
 * durability mode. JUnit deletes the directory after the kit has closed the engine. Fault points:
 * the commit lock always, the write-ahead log sync in {@link Durability#GROUP} (the only mode that
 * promises that nobody reads a commit before it is synced).
 */
abstract class RocksDbConformanceSupport extends EngineConformanceTest {

  @TempDir Path root;
  private final Map<Engine, Path> paths = new IdentityHashMap<>();
  private int stores;

  private FaultSwitchboard faults;

  abstract Durability durability();

  /** The fault points this mode declares. */
  Set<Point> faultPoints() {
    return durability() == Durability.GROUP ? EnumSet.of(Point.COMMIT_LOCK, Point.WAL_SYNC)
        : EnumSet.of(Point.COMMIT_LOCK);
  }

  @Override
  public Optional<FaultPoints> faults() {
    return Optional.of(faults);
  }

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
    FaultSwitchboard board = new FaultSwitchboard(faultPoints());
    RocksDbEngine engine = RocksDbEngine.open(RocksDbOptions.builder(dir)
        .durability(durability())
        .blockCacheBytes(8L << 20)
        .build(), sync -> () -> {
          board.reached(Point.WAL_SYNC);
          sync.sync();
        });
    engine.onCommitApplied(() -> board.reached(Point.COMMIT_LOCK));
    faults = board;
    paths.put(engine, dir);
    return engine;
  }
}
