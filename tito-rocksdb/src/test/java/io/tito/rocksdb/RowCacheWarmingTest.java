package io.tito.rocksdb;

import static io.tito.rocksdb.TestStores.b;
import static io.tito.rocksdb.TestStores.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.EngineTransaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache warmer fills the row cache while the store is small next to it (where a value enters
 * on its first point read anyway), so the first point read of each key after open or compaction is
 * a hit; a larger store's row cache is left to admission on reads; a chunk read before a write
 * adds nothing, so no reader sees a value older than its snapshot.
 */
class RowCacheWarmingTest {

  /** A 64 MiB block cache: a 16 MiB row cache, which a store of at most 256 KiB fills on reads. */
  private static final long CACHE = 64L << 20;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private RocksDbEngine open(boolean warm) {
    return RocksDbEngine.open(options(warm));
  }

  private RocksDbOptions options(boolean warm) {
    return RocksDbOptions.builder(dir).durability(Durability.NONE).blockCacheBytes(CACHE)
        .warmCache(warm).build();
  }

  /** Writes {@code count} keys with values of {@code size} random bytes, 500 per commit. */
  private static List<byte[]> write(RocksDbEngine engine, int count, int size) {
    Random random = new Random(5);
    List<byte[]> keys = new ArrayList<>();
    for (int start = 0; start < count; start += 500) {
      try (EngineTransaction tx = engine.begin(false)) {
        for (int i = start; i < Math.min(count, start + 500); i++) {
          byte[] value = new byte[size];
          random.nextBytes(value);
          byte[] key = b(String.format("key-%08d", i));
          tx.set(key, value);
          keys.add(key);
        }
        tx.commit();
      }
    }
    return keys;
  }

  private static List<byte[]> readAll(RocksDbEngine engine, List<byte[]> keys) {
    try (EngineTransaction tx = engine.begin(true)) {
      return tx.getAll(keys);
    }
  }

  @Test
  void aSmallStoreIsInTheRowCacheAfterOpenAndItsFirstReadsAreHits() throws Exception {
    List<byte[]> keys;
    List<byte[]> written;
    try (RocksDbEngine engine = open(false)) {
      keys = write(engine, 1_000, 40);
      written = readAll(engine, keys);
      engine.compact();
    }
    try (RocksDbEngine engine = open(true)) {
      assertThat(engine.awaitCacheWarming(WAIT)).isTrue();
      assertThat(engine.warmer().outcome()).isEqualTo(CacheWarmer.Outcome.WARMED);
      assertThat(engine.rowCache().size()).isEqualTo(keys.size());
      assertThat(engine.warmer().rowsAdded()).isEqualTo(keys.size());
      List<byte[]> read = readAll(engine, keys);
      for (int i = 0; i < keys.size(); i++) {
        assertThat(read.get(i)).isEqualTo(written.get(i));
      }
      assertThat(engine.rowCache().size()).as("the reads found every key").isEqualTo(keys.size());
      TestStores.put(engine, "key-00000007", "new");
      assertThat(TestStores.get(engine, "key-00000007")).isEqualTo("new");
    }
  }

  @Test
  void compactLeavesASmallStoreInTheRowCache() throws Exception {
    try (RocksDbEngine engine = open(true)) {
      assertThat(engine.awaitCacheWarming(WAIT)).isTrue();
      List<byte[]> keys = write(engine, 1_000, 40);
      assertThat(engine.rowCache().size()).as("writes add nothing").isZero();
      engine.compact();
      assertThat(engine.rowCache().size()).isEqualTo(keys.size());
    }
  }

  @Test
  void shortValuesAreLeftToTheirFirstRead() throws Exception {
    List<byte[]> shortKeys;
    try (RocksDbEngine engine = open(false)) {
      write(engine, 1_000, 40);
      shortKeys = new ArrayList<>();
      try (EngineTransaction tx = engine.begin(false)) {
        for (int i = 0; i < 100; i++) { // like index entries: a flag and an id
          byte[] key = b(String.format("idx-%08d", i));
          tx.set(key, new byte[CacheWarmer.PREFILL_MIN_VALUE_BYTES - 1]);
          shortKeys.add(key);
        }
        tx.commit();
      }
      engine.compact();
    }
    try (RocksDbEngine engine = open(true)) {
      assertThat(engine.awaitCacheWarming(WAIT)).isTrue();
      assertThat(engine.rowCache().size()).isEqualTo(1_000);
      assertThat(engine.rowCache().get(shortKeys.get(0), Long.MAX_VALUE)).isNull();
      assertThat(readAll(engine, shortKeys)).allSatisfy(v -> assertThat(v).hasSize(31));
      assertThat(engine.rowCache().size()).as("entered on their first read").isEqualTo(1_100);
    }
  }

  @Test
  void aLargerStoreIsLeftToAdmissionOnReads() throws Exception {
    try (RocksDbEngine engine = open(false)) {
      write(engine, 5_000, 300); // 1.5 MB of incompressible values: over 1/64 of the row cache
      engine.compact();
    }
    try (RocksDbEngine engine = open(true)) {
      assertThat(engine.awaitCacheWarming(WAIT)).isTrue();
      assertThat(engine.warmer().outcome()).isEqualTo(CacheWarmer.Outcome.WARMED);
      assertThat(engine.rowCache().size()).isZero();
      assertThat(engine.warmer().rowsAdded()).isZero();
    }
  }

  @Test
  void aChunkReadBeforeAWriteAddsNothing() throws Exception {
    try (RocksDbEngine engine = open(false)) {
      write(engine, 1_000, 40);
      engine.compact();
    }
    AtomicBoolean written = new AtomicBoolean();
    RocksDbEngine[] opened = new RocksDbEngine[1];
    try (RocksDbEngine engine = RocksDbEngine.open(options(true), UnaryOperator.identity(),
        System::nanoTime, w -> w.inChunk(() -> {
          // In the first chunk, its snapshot taken and its iterator open: a write lands.
          if (written.compareAndSet(false, true)) {
            while (opened[0] == null) {
              Thread.onSpinWait();
            }
            TestStores.put(opened[0], "key-00000003", "written while warming");
          }
        }))) {
      opened[0] = engine;
      assertThat(engine.awaitCacheWarming(WAIT)).isTrue();
      assertThat(written).isTrue();
      assertThat(engine.warmer().rowsAdded()).isZero();
      assertThat(engine.rowCache().get(b("key-00000003"), Long.MAX_VALUE))
          .as("the chunk that read the old value added nothing").isNull();
      assertThat(TestStores.get(engine, "key-00000003")).isEqualTo("written while warming");
      assertThat(s(readAll(engine, List.of(b("key-00000003"))).get(0)))
          .isEqualTo("written while warming");
    }
  }
}
