package io.tito.rocksdb;

import static io.tito.rocksdb.TestStores.b;
import static io.tito.rocksdb.TestStores.put;
import static io.tito.rocksdb.TestStores.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.EngineTransaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads hinted as usually absent ({@code getExpectingAbsent}, {@code getAllExpectingAbsent}) ask
 * the bloom filters first: they must answer exactly as plain reads, for keys in the memtable and
 * in table files, with and without a block cache, deleted keys, cleared ranges, the transaction's
 * own writes and its snapshot.
 */
class ExpectingAbsentReadsTest {

  @TempDir Path dir;

  private RocksDbEngine open(long blockCacheBytes) {
    return RocksDbEngine.open(RocksDbOptions.builder(dir).durability(Durability.NONE)
        .blockCacheBytes(blockCacheBytes).build());
  }

  private static List<String> hinted(EngineTransaction tx, String... keys) {
    List<byte[]> raw = new ArrayList<>();
    for (String k : keys) {
      raw.add(b(k));
    }
    List<String> out = new ArrayList<>();
    for (byte[] v : tx.getAllExpectingAbsent(raw, keys.length)) {
      out.add(s(v));
    }
    return out;
  }

  /** Every hinted read, checked against the plain read of the same transaction. */
  private static void assertSameAsPlain(EngineTransaction tx, String... keys) {
    List<String> plain = new ArrayList<>();
    for (String k : keys) {
      plain.add(s(tx.get(b(k))));
      assertThat(s(tx.getExpectingAbsent(b(k)))).as(k).isEqualTo(plain.get(plain.size() - 1));
    }
    assertThat(hinted(tx, keys)).isEqualTo(plain);
  }

  @ParameterizedTest(name = "block cache {0} bytes")
  @ValueSource(longs = {0, 8L << 20})
  void answerAsPlainReadsInMemtableAndTableFiles(long blockCacheBytes) {
    try (RocksDbEngine engine = open(blockCacheBytes)) {
      for (int i = 0; i < 200; i++) {
        put(engine, "k" + i, "v" + i);
      }
      try (EngineTransaction tx = engine.begin(false)) {
        tx.clear(b("k3"));
        tx.clearRange(b("k40"), b("k50"));
        tx.commit();
      }
      for (boolean compacted : new boolean[] {false, true}) {
        if (compacted) {
          engine.compact();
        }
        try (EngineTransaction tx = engine.begin(true)) {
          assertThat(s(tx.getExpectingAbsent(b("k7")))).isEqualTo("v7");
          assertThat(s(tx.getExpectingAbsent(b("k3")))).isNull();
          assertThat(s(tx.getExpectingAbsent(b("k45")))).isNull();
          assertThat(s(tx.getExpectingAbsent(b("absent")))).isNull();
          assertThat(hinted(tx, "k1", "absent", "k3", "k199")).containsExactly("v1", null, null, "v199");
          assertSameAsPlain(tx, "k0", "k3", "k4", "k45", "k50", "k199", "k2000", "");
        }
      }
    }
  }

  @ParameterizedTest(name = "block cache {0} bytes")
  @ValueSource(longs = {0, 8L << 20})
  void readTheSnapshotAndOwnWrites(long blockCacheBytes) {
    try (RocksDbEngine engine = open(blockCacheBytes)) {
      put(engine, "old", "1");
      put(engine, "doomed", "2");
      try (EngineTransaction tx = engine.begin(false)) {
        put(engine, "new", "3");
        try (EngineTransaction other = engine.begin(false)) {
          other.clear(b("doomed"));
          other.commit();
        }
        engine.compact();
        assertThat(s(tx.getExpectingAbsent(b("new")))).isNull();
        assertThat(s(tx.getExpectingAbsent(b("doomed")))).isEqualTo("2");
        assertThat(hinted(tx, "new", "doomed", "old")).containsExactly(null, "2", "1");

        tx.set(b("mine"), b("4"));
        tx.clear(b("old"));
        assertThat(s(tx.getExpectingAbsent(b("mine")))).isEqualTo("4");
        assertThat(s(tx.getExpectingAbsent(b("old")))).isNull();
        assertThat(hinted(tx, "mine", "old", "doomed", "new")).containsExactly("4", null, "2", null);
        assertSameAsPlain(tx, "mine", "old", "doomed", "new", "none");
      }
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(hinted(tx, "new", "doomed", "old")).containsExactly("3", null, "1");
      }
    }
  }
}
