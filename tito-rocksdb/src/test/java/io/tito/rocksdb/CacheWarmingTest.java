package io.tito.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.EngineTransaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block cache is warmed after open when the store's tables fit in half of it, not when they
 * do not; the warmer stops when the engine closes, without RocksDB being freed under its iterator;
 * {@link RocksDbEngine#compact()} returns with the cache warm.
 */
class CacheWarmingTest {

  /** 20,000 entries of 300 random (incompressible) bytes: about 6 MB of tables. */
  private static final int KEYS = 20_000;
  private static final long LARGE_CACHE = 64L << 20;
  private static final long SMALL_CACHE = 8L << 20;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private RocksDbOptions options(long cacheBytes, boolean warm) {
    return RocksDbOptions.builder(dir).durability(Durability.NONE).blockCacheBytes(cacheBytes)
        .warmCache(warm).build();
  }

  private static void write(RocksDbEngine engine) {
    Random random = new Random(17);
    for (int start = 0; start < KEYS; start += 1_000) {
      try (EngineTransaction tx = engine.begin(false)) {
        for (int i = start; i < start + 1_000; i++) {
          byte[] value = new byte[300];
          random.nextBytes(value);
          tx.set(TestStores.b(String.format("key-%08d", i)), value);
        }
        tx.commit();
      }
    }
  }

  /** A compacted store of {@link #KEYS} entries, written and closed without warming. */
  private void compactedStore() {
    try (RocksDbEngine engine = RocksDbEngine.open(options(LARGE_CACHE, false))) {
      write(engine);
      engine.compact();
    }
  }

  private static long cacheUsage(RocksDbEngine engine) throws Exception {
    return engine.db().getLongProperty("rocksdb.block-cache-usage");
  }

  private static long tableBytes(RocksDbEngine engine) throws Exception {
    return engine.db().getLongProperty(CacheWarmer.TABLE_BYTES_PROPERTY);
  }

  @Test
  void warmsTheCacheAfterOpenWhenTheTablesFitInHalfOfIt() throws Exception {
    compactedStore();
    try (RocksDbEngine engine = RocksDbEngine.open(options(LARGE_CACHE, true))) {
      assertThat(engine.awaitCacheWarming(WAIT)).isTrue();
      long tables = tableBytes(engine);
      assertThat(tables).isBetween(4L << 20, LARGE_CACHE / 2);
      // Every data block is in the cache: at least the (incompressible) table bytes, uncompressed.
      assertThat(cacheUsage(engine)).isGreaterThanOrEqualTo(tables * 9 / 10);
      assertThat(engine.warmer().outcome()).isEqualTo(CacheWarmer.Outcome.WARMED);
      assertThat(engine.warmer().entriesRead()).isEqualTo(KEYS);
      assertThat(TestStores.get(engine, "key-00012345")).isNotNull();
    }
  }

  @Test
  void doesNotWarmWhenTheTablesExceedHalfOfTheCache() throws Exception {
    compactedStore();
    try (RocksDbEngine engine = RocksDbEngine.open(options(SMALL_CACHE, true))) {
      assertThat(engine.awaitCacheWarming(WAIT)).isTrue();
      assertThat(tableBytes(engine)).isGreaterThan(SMALL_CACHE / 2);
      assertThat(engine.warmer().outcome()).isEqualTo(CacheWarmer.Outcome.TOO_LARGE);
      assertThat(engine.warmer().entriesRead()).isZero();
      assertThat(cacheUsage(engine)).isLessThan(SMALL_CACHE / 8);
    }
  }

  @Test
  void warmingIsOffWhenDisabled() throws Exception {
    compactedStore();
    try (RocksDbEngine engine = RocksDbEngine.open(options(LARGE_CACHE, false))) {
      assertThat(engine.warmer()).isNull();
      assertThat(engine.awaitCacheWarming(Duration.ZERO)).isTrue();
      assertThat(cacheUsage(engine)).isLessThan(tableBytes(engine) / 4);
    }
  }

  @Test
  void theWarmerStopsWhenTheEngineClosesWhileItIterates() throws Exception {
    compactedStore();
    CountDownLatch inChunk = new CountDownLatch(1);
    CacheWarmer[] warmer = new CacheWarmer[1];
    AtomicReference<RocksDbEngine> opened = new AtomicReference<>();
    RocksDbEngine engine = RocksDbEngine.open(options(LARGE_CACHE, true), UnaryOperator.identity(), System::nanoTime,
        w -> {
          warmer[0] = w;
          // Holding the guard with an open iterator: stay until close has begun.
          w.inChunk(() -> {
            inChunk.countDown();
            while (opened.get() == null || !opened.get().isClosed()) {
              Thread.onSpinWait();
            }
          });
        });
    opened.set(engine);
    assertThat(inChunk.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    engine.close(); // waits for the chunk under way, which ends at its next entry
    warmer[0].thread().join(WAIT.toMillis());
    assertThat(warmer[0].thread().isAlive()).isFalse();
    assertThat(warmer[0].outcome()).isEqualTo(CacheWarmer.Outcome.STOPPED);
    assertThat(warmer[0].entriesRead()).isLessThan(KEYS);
    assertThat(engine.awaitCacheWarming(Duration.ZERO)).isTrue();
    // The store is intact and opens again.
    try (RocksDbEngine again = RocksDbEngine.open(options(LARGE_CACHE, false))) {
      assertThat(TestStores.get(again, "key-00019999")).isNotNull();
    }
  }

  @Test
  void compactReturnsWithTheCacheWarm() throws Exception {
    try (RocksDbEngine engine = RocksDbEngine.open(options(LARGE_CACHE, true))) {
      assertThat(engine.awaitCacheWarming(WAIT)).isTrue(); // the empty store's, at open
      write(engine);
      engine.compact();
      long tables = tableBytes(engine);
      assertThat(tables).isGreaterThan(4L << 20);
      assertThat(cacheUsage(engine)).isGreaterThanOrEqualTo(tables * 9 / 10);
      assertThat(engine.warmer().outcome()).isEqualTo(CacheWarmer.Outcome.WARMED);
    }
  }
}
