package io.tito.rocksdb;

import static io.tito.rocksdb.TestStores.b;
import static io.tito.rocksdb.TestStores.get;
import static io.tito.rocksdb.TestStores.put;
import static io.tito.rocksdb.TestStores.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ConflictException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.LimitExceededException;
import io.tito.ScanOptions;
import io.tito.spi.Capability;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour specific to how the RocksDB engine reads, scans and commits. */
class RocksDbEngineTest {

  @TempDir Path dir;
  RocksDbEngine engine;

  @BeforeEach
  void open() {
    engine = TestStores.open(dir, Durability.GROUP);
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void describesItself() {
    assertThat(engine.name()).isEqualTo("rocksdb");
    assertThat(engine.capabilities()).containsExactlyInAnyOrder(
        Capability.DURABLE, Capability.COMMIT_ORDERED_KEYS, Capability.CHANGE_FEED,
        Capability.BULK_LOAD, Capability.COMMIT_SEQUENCED_APPENDS);
    assertThat(engine.limits()).isEqualTo(EngineLimits.DEFAULT);
    assertThat(engine.path()).isEqualTo(dir.toAbsolutePath().normalize());
  }

  @Test
  void compactKeepsEveryKeyAndFailsOnceClosed() {
    try (EngineTransaction tx = engine.begin(false)) {
      for (int i = 0; i < 1000; i++) {
        tx.set(b("k" + i), b("v" + i));
      }
      tx.commit();
    }
    try (EngineTransaction tx = engine.begin(false)) {
      for (int i = 0; i < 1000; i += 2) {
        tx.clear(b("k" + i));
      }
      tx.commit();
    }
    engine.compact();
    try (EngineTransaction tx = engine.begin(true)) {
      List<KeyValue> rows = new ArrayList<>();
      try (KeyValueCursor c = tx.scan(b("k"), b("l"), ScanOptions.FORWARD)) {
        c.forEachRemaining(rows::add);
      }
      assertThat(rows).hasSize(500);
      assertThat(s(tx.get(b("k1")))).isEqualTo("v1");
      assertThat(tx.get(b("k0"))).isNull();
    }
    engine.close();
    assertThatThrownBy(engine::compact).isInstanceOf(io.tito.ClosedException.class);
  }

  @Test
  void scansForwardAndReverseWithinBoundsWithUnsignedOrder() {
    try (EngineTransaction tx = engine.begin(false)) {
      for (byte[] k : new byte[][] {{0x01}, {0x01, 0x00}, {0x02}, {(byte) 0x80}, {(byte) 0xFF}, {(byte) 0xFF, 0x01}}) {
        tx.set(k, k);
      }
      tx.commit();
    }
    try (EngineTransaction tx = engine.begin(true)) {
      assertThat(keys(tx.scan(new byte[0], new byte[] {(byte) 0xFF}, ScanOptions.FORWARD)))
          .containsExactly("01", "0100", "02", "80");
      assertThat(keys(tx.scan(new byte[] {0x01, 0x00}, new byte[] {(byte) 0xFF, 0x01}, ScanOptions.REVERSE)))
          .containsExactly("ff", "80", "02", "0100");
      assertThat(keys(tx.scan(new byte[0], new byte[] {(byte) 0xFF, (byte) 0xFF}, ScanOptions.REVERSE.withLimit(2))))
          .containsExactly("ff01", "ff");
      assertThat(keys(tx.scan(new byte[] {0x02}, new byte[] {0x02}, ScanOptions.FORWARD))).isEmpty();
    }
  }

  @Test
  void scansStreamLargeRangesLazilyAndMergeOwnWrites() {
    try (EngineTransaction tx = engine.begin(false)) {
      for (int i = 0; i < 5000; i++) {
        tx.set(b(String.format("k%05d", i)), b("v" + i));
      }
      tx.commit();
    }
    try (EngineTransaction tx = engine.begin(false)) {
      tx.clearRange(b("k00010"), b("k04990"));
      tx.set(b("k00500"), b("mine"));
      List<String> seen = new ArrayList<>();
      try (KeyValueCursor c = tx.scan(b("k"), b("l"), ScanOptions.FORWARD)) {
        c.forEachRemaining(kv -> seen.add(s(kv.key())));
      }
      assertThat(seen).hasSize(10 + 1 + 10).contains("k00500");
      try (KeyValueCursor c = tx.scan(b("k"), b("l"), ScanOptions.REVERSE)) {
        KeyValue first = c.next();
        assertThat(s(first.key())).isEqualTo("k04999");
      }
    }
  }

  @Test
  void readersKeepTheirSnapshot() {
    put(engine, "a", "1");
    try (EngineTransaction reader = engine.begin(true)) {
      put(engine, "a", "2");
      put(engine, "b", "new");
      assertThat(s(reader.get(b("a")))).isEqualTo("1");
      assertThat(reader.get(b("b"))).isNull();
      assertThat(reader.scan(b("a"), b("z"), ScanOptions.FORWARD).toList()).hasSize(1);
    }
    assertThat(get(engine, "a")).isEqualTo("2");
  }

  @Test
  void firstCommitterWins() {
    put(engine, "k", "0");
    EngineTransaction t1 = engine.begin(false);
    EngineTransaction t2 = engine.begin(false);
    t1.set(b("k"), b("1"));
    t2.set(b("k"), b("2"));
    t1.commit();
    assertThatThrownBy(t2::commit).isInstanceOf(ConflictException.class);
    assertThat(get(engine, "k")).isEqualTo("1");
  }

  @Test
  void clearRangeThenSetInOneCommit() {
    put(engine, "a1", "x");
    put(engine, "a2", "x");
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(b("a1"), b("dropped"));
      tx.clearRange(b("a"), b("b"));
      tx.set(b("a2"), b("kept"));
      tx.commit();
    }
    assertThat(get(engine, "a1")).isNull();
    assertThat(get(engine, "a2")).isEqualTo("kept");
  }

  @Test
  void limitsAreCheckedBeforeWriting() {
    try (EngineTransaction tx = engine.begin(false)) {
      assertThatThrownBy(() -> tx.set(new byte[9000], b("v"))).isInstanceOf(LimitExceededException.class);
      tx.set(b("ok"), b("v"));
      tx.commit();
    }
    assertThat(get(engine, "ok")).isEqualTo("v");
  }

  @Test
  void emptyValuesAndEmptyKeysRoundTrip() {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(new byte[0], new byte[0]);
      tx.set(b("e"), new byte[0]);
      tx.commit();
    }
    try (EngineTransaction tx = engine.begin(true)) {
      assertThat(tx.get(new byte[0])).isEmpty();
      assertThat(tx.get(b("e"))).isEmpty();
      assertThat(tx.scan(new byte[0], b("f"), ScanOptions.FORWARD).toList()).hasSize(2);
    }
  }

  private static List<String> keys(KeyValueCursor cursor) {
    List<String> out = new ArrayList<>();
    try (cursor) {
      while (cursor.hasNext()) {
        StringBuilder sb = new StringBuilder();
        for (byte x : cursor.next().key()) {
          sb.append(String.format("%02x", x & 0xFF));
        }
        out.add(sb.toString());
      }
    }
    return out;
  }
}
