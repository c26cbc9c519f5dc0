package io.tito.rocksdb;

import static io.tito.rocksdb.TestStores.b;
import static io.tito.rocksdb.TestStores.put;
import static io.tito.rocksdb.TestStores.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.EngineTransaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The row cache in front of point reads answers exactly what RocksDB's snapshot would: after
 * writes, deletes and cleared ranges; for transactions whose snapshot is older than the cached
 * value; for a reader that read an old value after a newer commit; under concurrent commits; and
 * within its capacity.
 */
class RowCacheTest {

  @TempDir Path dir;

  private RocksDbEngine open(Durability durability) {
    return RocksDbEngine.open(RocksDbOptions.builder(dir).durability(durability)
        .blockCacheBytes(8L << 20).build());
  }

  /** Reads {@code key} in a new transaction, twice: a key is cached on its second read. */
  private static String read(RocksDbEngine engine, String key) {
    try (EngineTransaction tx = engine.begin(true)) {
      String first = s(tx.get(b(key)));
      assertThat(s(tx.get(b(key)))).isEqualTo(first);
      return first;
    }
  }

  private static List<String> readAll(EngineTransaction tx, String... keys) {
    List<byte[]> raw = new ArrayList<>();
    for (String k : keys) {
      raw.add(b(k));
    }
    List<String> out = new ArrayList<>();
    for (byte[] v : tx.getAll(raw)) {
      out.add(s(v));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Durability.class, names = {"NONE", "GROUP"})
  void cachedValuesFollowWritesDeletesAndClearedRanges(Durability durability) {
    try (RocksDbEngine engine = open(durability)) {
      for (int i = 0; i < 10; i++) {
        put(engine, "k" + i, "v" + i);
      }
      assertThat(read(engine, "k1")).isEqualTo("v1");
      assertThat(read(engine, "k5")).isEqualTo("v5");
      assertThat(engine.rowCache().size()).isPositive();
      put(engine, "k1", "w1");
      assertThat(read(engine, "k1")).isEqualTo("w1");
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(readAll(tx, "k0", "k1", "k2", "k3", "k4", "k5")).containsExactly(
            "v0", "w1", "v2", "v3", "v4", "v5");
      }
      try (EngineTransaction tx = engine.begin(false)) {
        tx.clear(b("k0"));
        tx.clearRange(b("k3"), b("k6"));
        tx.commit();
      }
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(readAll(tx, "k0", "k1", "k2", "k3", "k4", "k5", "k6")).containsExactly(
            null, "w1", "v2", null, null, null, "v6");
        assertThat(s(tx.get(b("k4")))).isNull();
        assertThat(s(tx.getExpectingAbsent(b("k5")))).isNull();
      }
    }
  }

  @Test
  void anOlderSnapshotDoesNotUseANewerCachedValue() {
    try (RocksDbEngine engine = open(Durability.NONE)) {
      put(engine, "k", "old");
      try (EngineTransaction before = engine.begin(true)) {
        put(engine, "k", "new");
        assertThat(read(engine, "k")).isEqualTo("new"); // cached, valid from the newer sequence
        assertThat(s(before.get(b("k")))).isEqualTo("old");
        assertThat(readAll(before, "k")).containsExactly("old");
      }
    }
  }

  @Test
  void aReaderOfAnOlderSnapshotCachesNothing() {
    try (RocksDbEngine engine = open(Durability.NONE)) {
      put(engine, "k", "old");
      try (EngineTransaction before = engine.begin(true)) {
        put(engine, "k", "new");
        assertThat(s(before.get(b("k")))).isEqualTo("old");
        assertThat(readAll(before, "k", "k")).containsExactly("old", "old");
      }
      assertThat(read(engine, "k")).isEqualTo("new");
    }
  }

  @Test
  void aChangedReturnedArrayDoesNotChangeTheCache() {
    try (RocksDbEngine engine = open(Durability.NONE)) {
      put(engine, "k", "value");
      try (EngineTransaction tx = engine.begin(true)) {
        tx.get(b("k"))[0] = 'X';
      }
      try (EngineTransaction tx = engine.begin(true)) {
        tx.get(b("k"))[0] = 'Y';
        tx.getAll(List.of(b("k"))).get(0)[0] = 'Z';
      }
      assertThat(read(engine, "k")).isEqualTo("value");
    }
  }

  @Test
  void heldWithinItsCapacity() {
    RowCache cache = new RowCache(10_000);
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      keys.add(b("key" + i));
      values.add(new byte[100]);
    }
    cache.addAll(keys, values, null, 7, () -> 7);
    assertThat(cache.size()).as("admitted on the second read only").isZero();
    cache.addAll(keys, values, null, 7, () -> 7);
    int perEntry = 6 + 100 + RowCache.ENTRY_OVERHEAD;
    assertThat(cache.size()).isPositive().isLessThanOrEqualTo(10_000 / perEntry);
    int answered = 0;
    for (byte[] k : keys) {
      answered += cache.get(k, 7) == null ? 0 : 1;
    }
    assertThat(answered).isEqualTo(cache.size());
  }

  @Test
  void aValueReadOnceEntersWhileTheStoreIsSmallNextToTheCache() {
    RowCache cache = new RowCache(1 << 20);
    long[] store = {1_000};
    cache.measureStoreWith(() -> store[0]);
    cache.addAll(List.of(b("a")), List.of(b("1")), null, 7, () -> 7);
    assertThat(s(cache.get(b("a"), 7))).as("a small store: admitted on the first read")
        .isEqualTo("1");
    store[0] = 1 << 20; // grown past a quarter of the capacity: seen at the next measurement
    cache.measureStoreWith(() -> store[0]);
    cache.addAll(List.of(b("b")), List.of(b("2")), null, 7, () -> 7);
    assertThat(cache.get(b("b"), 7)).as("a large store: admitted on the second read").isNull();
    cache.addAll(List.of(b("b")), List.of(b("2")), null, 7, () -> 7);
    assertThat(s(cache.get(b("b"), 7))).isEqualTo("2");
  }

  /**
   * The cache warmer's question does not measure the store: a measurement at the warmer's moment
   * (after a first write allocated a memtable arena bigger than a small cache's threshold) turned
   * first-read admission off for every reader until the next measurement, 1024 additions later.
   */
  @Test
  void askingWhetherTheWarmerMayFillDoesNotMeasureTheStore() {
    RowCache cache = new RowCache(1 << 20);
    long[] store = {1_000};
    cache.measureStoreWith(() -> store[0]);
    store[0] = 1 << 20; // grown, not measured yet
    assertThat(cache.fillsOnFirstRead()).as("as measured at open").isTrue();
    cache.addAll(List.of(b("a")), List.of(b("1")), null, 7, () -> 7);
    assertThat(s(cache.get(b("a"), 7))).as("still admitted on the first read").isEqualTo("1");
  }

  @Test
  void aSmallStoresValuesEnterOnTheirFirstReadFromRocksDb() {
    try (RocksDbEngine engine = open(Durability.NONE)) {
      List<byte[]> keys = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        put(engine, "k" + i, "v" + i);
        keys.add(b("k" + i));
      }
      int before = engine.rowCache().size();
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.getAll(keys)).hasSize(10);
      }
      assertThat(engine.rowCache().size() - before).isEqualTo(10);
    }
  }

  @Test
  void addsNothingWhileAWriteIsUnderWayOrForAnOlderSequence() {
    RowCache cache = new RowCache(1 << 20);
    List<byte[]> keys = List.of(b("k"));
    List<byte[]> values = List.of(b("v"));
    cache.addAll(keys, values, null, 7, () -> 7);
    assertThat(cache.size()).as("admitted on the second read only").isZero();
    cache.addAll(keys, values, null, 6, () -> 7);
    assertThat(cache.size()).isZero();
    cache.beginWrite(List.of(), java.util.Map.of(), false);
    cache.addAll(keys, values, null, 7, () -> 7);
    assertThat(cache.size()).isZero();
    cache.endWrite(0, false);
    cache.addAll(keys, values, null, 7, () -> 7);
    assertThat(s(cache.get(b("k"), 7))).isEqualTo("v");
    assertThat(cache.get(b("k"), 6)).isNull();
    // A write of the key drops it before RocksDB holds the new value: no reader may see the old.
    cache.beginWrite(keys, java.util.Map.of(), false);
    assertThat(cache.get(b("k"), 8)).isNull();
    cache.endWrite(0, false);
    cache.addAll(keys, values, null, 9, () -> 9);
    cache.beginWrite(List.of(), java.util.Map.of(b("a"), b("z")), false);
    assertThat(cache.get(b("k"), 9)).isNull();
    cache.endWrite(0, false);
  }

  @Test
  void aSuccessfulWritePutsItsValuesThroughUnlessAnotherWriteOverlapped() {
    RowCache cache = new RowCache(1 << 20);
    List<byte[]> keys = List.of(b("c"));
    long token = cache.beginWrite(keys, java.util.Map.of(), false);
    cache.endWrite(token, false, keys, List.of(b("1")), () -> 10);
    assertThat(s(cache.latest(b("c")))).isEqualTo("1");
    assertThat(s(cache.get(b("c"), 10))).isEqualTo("1");
    assertThat(cache.get(b("c"), 9)).as("older snapshots read RocksDB").isNull();
    // The next write removes it before RocksDB holds the new value.
    long second = cache.beginWrite(keys, java.util.Map.of(), false);
    assertThat(cache.latest(b("c"))).isNull();
    // Another write (a bulk ingest) begins and ends inside this one: no write-through.
    long ingest = cache.beginWrite(List.of(), java.util.Map.of(), true);
    cache.endWrite(ingest, true);
    cache.endWrite(second, false, keys, List.of(b("2")), () -> 12);
    assertThat(cache.latest(b("c"))).isNull();
    // A write still under way when this one ends: no write-through either.
    long third = cache.beginWrite(keys, java.util.Map.of(), false);
    long other = cache.beginWrite(List.of(b("x")), java.util.Map.of(), false);
    cache.endWrite(third, false, keys, List.of(b("3")), () -> 13);
    assertThat(cache.latest(b("c"))).isNull();
    cache.endWrite(other, false);
    // A failed write (no latest sequence given) puts nothing.
    long failed = cache.beginWrite(keys, java.util.Map.of(), false);
    cache.endWrite(failed, false);
    assertThat(cache.latest(b("c"))).isNull();
  }

  /**
   * A written-through key keeps its place in the key order while its entry is gone; when no
   * write-through follows (here: an overlapping write), the place stays without an entry, and
   * reads, range removal, eviction and a later addition all handle it.
   */
  @Test
  void aKeptPlaceWithoutAnEntryIsInvisibleAndRemovable() {
    RowCache cache = new RowCache(1 << 20);
    List<byte[]> keys = List.of(b("c"));
    long token = cache.beginWrite(keys, java.util.Map.of(), false, keys);
    cache.endWrite(token, false, keys, List.of(b("1")), () -> 10);
    assertThat(s(cache.latest(b("c")))).isEqualTo("1");
    long second = cache.beginWrite(keys, java.util.Map.of(), false, keys);
    assertThat(cache.latest(b("c"))).as("removed before RocksDB holds the new value").isNull();
    assertThat(cache.get(b("c"), 11)).isNull();
    long other = cache.beginWrite(List.of(b("x")), java.util.Map.of(), false);
    cache.endWrite(second, false, keys, List.of(b("2")), () -> 12);
    cache.endWrite(other, false);
    assertThat(cache.latest(b("c"))).as("no write-through: place kept, no entry").isNull();
    assertThat(cache.size()).isZero();
    // A range over the kept place removes it without counting an entry.
    cache.addAll(List.of(b("d")), List.of(b("v")), null, 12, () -> 12);
    cache.addAll(List.of(b("d")), List.of(b("v")), null, 12, () -> 12);
    assertThat(cache.size()).isEqualTo(1);
    cache.beginWrite(List.of(), java.util.Map.of(b("a"), b("z")), false);
    cache.endWrite(0, false);
    assertThat(cache.size()).isZero();
    // Kept places do not stop eviction of a full cache, nor later additions of the key.
    RowCache small = new RowCache(4 * RowCache.ENTRY_OVERHEAD);
    long t = small.beginWrite(keys, java.util.Map.of(), false, keys);
    small.endWrite(t, false, keys, List.of(b("1")), () -> 1);
    long u = small.beginWrite(keys, java.util.Map.of(), false, keys);
    small.endWrite(u, false);
    for (int i = 0; i < 40; i++) {
      List<byte[]> k = List.of(b("k" + i));
      long w = small.beginWrite(k, java.util.Map.of(), false, k);
      small.endWrite(w, false, k, List.of(b("v" + i)), () -> 2);
    }
    assertThat(small.size()).isBetween(1, 4);
    long v = small.beginWrite(keys, java.util.Map.of(), false, keys);
    small.endWrite(v, false, keys, List.of(b("9")), () -> 3);
    assertThat(s(small.latest(b("c")))).isEqualTo("9");
  }

  /**
   * Sequenced appends take their counter from the cache once a commit put it there: positions
   * stay dense across commits, follow a plain write of the counter and a cleared range over it,
   * and do not depend on the cache (a store without one gives the same positions).
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Durability.class, names = {"NONE", "GROUP"})
  void sequencedAppendsFollowEveryWriteOfTheirCounter(Durability durability) {
    try (RocksDbEngine engine = open(durability)) {
      byte[] counter = b("seq");
      assertThat(append(engine, counter, 3)).isEqualTo(0);
      assertThat(append(engine, counter, 2)).isEqualTo(3);
      assertThat(append(engine, counter, 1)).isEqualTo(5);
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(counter, io.tito.tuple.Tuple.of(100L).pack());
        tx.commit();
      }
      assertThat(append(engine, counter, 1)).isEqualTo(100);
      assertThat(append(engine, counter, 1)).isEqualTo(101);
      try (EngineTransaction tx = engine.begin(false)) {
        tx.clearRange(b("s"), b("t"));
        tx.commit();
      }
      assertThat(append(engine, counter, 2)).isEqualTo(0);
      assertThat(append(engine, counter, 1)).isEqualTo(2);
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(io.tito.tuple.Tuple.unpack(tx.get(counter)).getLong(0)).isEqualTo(3);
      }
    }
  }

  /** Commits {@code n} sequenced appends to {@code counter}; returns the first position. */
  private static long append(RocksDbEngine engine, byte[] counter, int n) {
    EngineTransaction tx = engine.begin(false);
    for (int i = 0; i < n; i++) {
      tx.appendSequenced(counter, b("log/"), b("e" + i));
    }
    tx.commit();
    return tx.sequenceStart(counter);
  }

  /**
   * Writers keep two keys equal in every commit; readers read them in separate calls and in one
   * multi-read: a stale cached value would show them unequal within one snapshot.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Durability.class, names = {"NONE", "GROUP"})
  void concurrentCommitsNeverShowAStaleValue(Durability durability) throws Exception {
    try (RocksDbEngine engine = open(durability)) {
      put(engine, "a", "0");
      put(engine, "b", "0");
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        Future<?> writer = pool.submit(() -> {
          for (int i = 1; i <= 2_000; i++) {
            try (EngineTransaction tx = engine.begin(false)) {
              tx.set(b("a"), b(Integer.toString(i)));
              tx.set(b("b"), b(Integer.toString(i)));
              tx.commit();
            }
          }
          stop.set(true);
        });
        List<Future<Integer>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
          readers.add(pool.submit(() -> {
            int reads = 0;
            int last = 0;
            while (!stop.get() || reads < 100) {
              try (EngineTransaction tx = engine.begin(true)) {
                String a = s(tx.get(b("a")));
                String bb = s(tx.get(b("b")));
                List<String> both = readAll(tx, "b", "a", "b", "a", "b");
                assertThat(bb).isEqualTo(a);
                assertThat(both).containsOnly(a);
                int seen = Integer.parseInt(a);
                assertThat(seen).isGreaterThanOrEqualTo(last);
                last = seen;
              }
              reads++;
            }
            return reads;
          }));
        }
        writer.get();
        for (Future<Integer> f : readers) {
          assertThat(f.get()).isPositive();
        }
        assertThat(read(engine, "a")).isEqualTo("2000");
        assertThat(read(engine, "b")).isEqualTo("2000");
      } finally {
        stop.set(true);
        pool.shutdownNow();
      }
    }
  }
}
