package io.tito.rocksdb;

import static io.tito.rocksdb.TestStores.b;
import static io.tito.rocksdb.TestStores.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ClosedException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Read-only transactions outside {@code GROUP} durability share one snapshot while no write is
 * applied (the read view): each still sees exactly the commits made before it began, whatever the
 * order in which the transactions sharing a view end, and the engine frees the view on close.
 */
class ReadViewTest {

  @TempDir Path dir;
  RocksDbEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private void write(String key, String value) {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(b(key), b(value));
      tx.commit();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Durability.class, names = {"NONE", "SYNC", "PERIODIC"})
  void readOnlyTransactionsSeeEveryCommitBeforeTheirBeginAndNothingAfter(Durability d) {
    engine = TestStores.open(dir, d);
    write("k", "1");
    EngineTransaction a = engine.begin(true);
    EngineTransaction b = engine.begin(true); // shares a's view: no write between them
    assertThat(s(a.get(b("k")))).isEqualTo("1");
    write("k", "2");
    write("j", "x");
    EngineTransaction c = engine.begin(true); // a new view
    assertThat(s(b.get(b("k")))).isEqualTo("1");
    assertThat(b.get(b("j"))).isNull();
    assertThat(s(c.get(b("k")))).isEqualTo("2");
    assertThat(s(c.get(b("j")))).isEqualTo("x");
    a.close(); // ends before b, which still reads the view they shared
    assertThat(s(b.get(b("k")))).isEqualTo("1");
    assertThat(scan(b)).containsExactly("k=1");
    b.close();
    EngineTransaction e = engine.begin(true); // c's view again: nothing written since
    assertThat(scan(e)).containsExactly("j=x", "k=2");
    assertThat(e.getAll(List.of(b("j"), b("k"), b("z")))).extracting(TestStores::s)
        .containsExactly("x", "2", null);
    c.close();
    e.close();
    write("k", "3");
    try (EngineTransaction f = engine.begin(true)) {
      assertThat(s(f.get(b("k")))).isEqualTo("3");
    }
  }

  @Test
  void manyReadersOfOneViewEndInAnyOrderAndCloseFreesTheRest() {
    engine = TestStores.open(dir, Durability.NONE);
    write("k", "1");
    List<EngineTransaction> readers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      readers.add(engine.begin(true));
    }
    for (int i = 0; i < 10; i += 2) {
      assertThat(s(readers.get(i).get(b("k")))).isEqualTo("1");
      readers.get(i).close();
    }
    write("k", "2");
    EngineTransaction later = engine.begin(true);
    assertThat(s(later.get(b("k")))).isEqualTo("2");
    assertThat(s(readers.get(1).get(b("k")))).isEqualTo("1");
    engine.close();
    assertThatThrownBy(() -> readers.get(3).get(b("k"))).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> later.get(b("k"))).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> engine.begin(true)).isInstanceOf(ClosedException.class);
    readers.forEach(EngineTransaction::close);
    later.close();
  }

  @Test
  void aReadWriteTransactionDoesNotUseTheReadView() {
    engine = TestStores.open(dir, Durability.NONE);
    write("k", "1");
    EngineTransaction reader = engine.begin(true);
    try (EngineTransaction writer = engine.begin(false)) {
      assertThat(s(writer.get(b("k")))).isEqualTo("1");
      writer.set(b("k"), b("2"));
      assertThat(s(writer.get(b("k")))).isEqualTo("2");
      writer.commit();
    }
    assertThat(s(reader.get(b("k")))).isEqualTo("1");
    reader.close();
    try (EngineTransaction next = engine.begin(true)) {
      assertThat(s(next.get(b("k")))).isEqualTo("2");
    }
  }

  @Test
  void anIdleEngineHoldsOnlyTheLatestSnapshotAndACommitDropsIt() throws Exception {
    engine = TestStores.open(dir, Durability.NONE);
    // The cache warmer reads a small store's chunks at snapshots of its own: let it finish first.
    assertThat(engine.awaitCacheWarming(java.time.Duration.ofSeconds(60))).isTrue();
    write("k", "1");
    assertThat(TestStores.get(engine, "k")).isEqualTo("1");
    assertThat(TestStores.get(engine, "k")).isEqualTo("1");
    assertThat(engine.db().getLongProperty("rocksdb.num-snapshots")).isEqualTo(1);
    EngineTransaction open = engine.begin(true);
    write("k", "2");
    assertThat(engine.db().getLongProperty("rocksdb.num-snapshots")).isEqualTo(1); // open's
    open.close();
    assertThat(engine.db().getLongProperty("rocksdb.num-snapshots")).isZero();
  }

  private static List<String> scan(EngineTransaction tx) {
    List<String> rows = new ArrayList<>();
    try (KeyValueCursor c = tx.scan(b("a"), b("z"), ScanOptions.FORWARD)) {
      while (c.hasNext()) {
        KeyValue kv = c.next();
        rows.add(s(kv.key()) + "=" + s(kv.value()));
      }
    }
    return rows;
  }
}
