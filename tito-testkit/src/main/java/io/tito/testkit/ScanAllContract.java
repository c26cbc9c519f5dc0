package io.tito.testkit;

import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.key;
import static io.tito.testkit.Kit.show;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.RangeRead;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Batched range reads ({@link EngineTransaction#scanAll}): each read's rows are exactly those of
 * one bounded {@code scan} of its range and options, in its direction, for committed data
 * (tombstones included), this transaction's own writes, the transaction's snapshot, point reads,
 * empty ranges and random batches; and {@link io.tito.spi.Engine#readOnce}, the same reads outside
 * a transaction, in one fresh snapshot of committed data.
 */
public interface ScanAllContract extends EngineFixture {

  /** One bounded scan's rows, as the reference for a read. */
  private static List<KeyValue> scanned(EngineTransaction tx, RangeRead r) {
    List<KeyValue> rows = new ArrayList<>();
    try (var c = tx.scan(r.range().begin(), r.range().end(), r.options())) {
      while (rows.size() < r.options().limit() && c.hasNext()) {
        rows.add(c.next());
      }
    }
    return rows;
  }

  /** Asserts that {@code scanAll(reads)} equals one bounded scan per read, in order. */
  private static void assertLikeScans(EngineTransaction tx, List<RangeRead> reads, String what) {
    List<List<KeyValue>> expected = new ArrayList<>();
    for (RangeRead r : reads) {
      expected.add(scanned(tx, r));
    }
    List<List<KeyValue>> actual = tx.scanAll(reads);
    assertThat(actual).as("%s: one list per read", what).hasSize(reads.size());
    for (int i = 0; i < reads.size(); i++) {
      List<KeyValue> a = actual.get(i);
      List<KeyValue> e = expected.get(i);
      assertThat(a).as("%s: read %d (%s..%s) row count", what, i,
          show(reads.get(i).range().begin()), show(reads.get(i).range().end())).hasSize(e.size());
      for (int j = 0; j < e.size(); j++) {
        assertThat(a.get(j).key()).as("%s: read %d row %d key", what, i, j)
            .isEqualTo(e.get(j).key());
        assertThat(a.get(j).value()).as("%s: read %d row %d value", what, i, j)
            .isEqualTo(e.get(j).value());
      }
    }
  }

  /** Commits {@code key(prefix, i)} = {@code "v" + i} for each i below {@code count} but about one in {@code oneIn}. */
  private void commitSome(String prefix, int count, Random random, int oneIn) {
    commit(engine(), tx -> {
      for (int i = 0; i < count; i++) {
        if (random.nextInt(oneIn) > 0) {
          tx.set(key(prefix, i), v("v" + i));
        }
      }
    });
  }

  private static RangeRead read(byte[] begin, byte[] end, boolean reverse, int limit) {
    return new RangeRead(new KeyRange(begin, end), new ScanOptions(reverse, limit));
  }

  @Test
  default void scanAllAnswersEachReadAsItsScan() {
    commit(engine(), tx -> {
      for (int i = 0; i < 30; i++) {
        tx.set(key("s", i), v("v" + i));
      }
      tx.set(k("p"), v("point"));
      tx.set(k("e"), v(""));
    });
    commit(engine(), tx -> {
      tx.clear(key("s", 3));
      tx.clearRange(key("s", 10), key("s", 13));
    });
    try (EngineTransaction tx = engine().begin(true)) {
      List<RangeRead> reads = List.of(
          RangeRead.point(k("p")),
          RangeRead.point(k("absent")),
          RangeRead.point(key("s", 3)),
          read(key("s", 0), key("s", 30), false, 5),
          read(key("s", 0), key("s", 30), true, 4),
          read(key("s", 8), key("s", 16), false, 100),
          read(key("s", 8), key("s", 16), true, 100),
          read(key("s", 11), key("s", 12), false, 3),
          read(k("q"), k("q"), false, 1),
          RangeRead.point(k("e")),
          read(key("s", 0), key("s", 30), false, 5));
      List<List<KeyValue>> got = tx.scanAll(reads);
      assertThat(got.get(0)).hasSize(1);
      assertThat(got.get(0).get(0).key()).isEqualTo(k("p"));
      assertThat(got.get(0).get(0).value()).isEqualTo(v("point"));
      assertThat(got.get(1)).as("absent point").isEmpty();
      assertThat(got.get(2)).as("cleared point").isEmpty();
      assertThat(got.get(3)).as("first 5, skipping the cleared key").extracting(KeyValue::key)
          .containsExactly(key("s", 0), key("s", 1), key("s", 2), key("s", 4), key("s", 5));
      assertThat(got.get(4)).as("last 4, descending").extracting(KeyValue::key)
          .containsExactly(key("s", 29), key("s", 28), key("s", 27), key("s", 26));
      assertThat(got.get(7)).as("inside a cleared range").isEmpty();
      assertThat(got.get(8)).as("empty range").isEmpty();
      assertThat(got.get(9).get(0).value()).as("empty value is present").isEqualTo(v(""));
      assertLikeScans(tx, reads, "committed data");
      assertThat(tx.scanAll(List.of())).as("no reads").isEmpty();
    }
  }

  @Test
  default void scanAllSeesThisTransactionsWrites() {
    commit(engine(), tx -> {
      for (int i = 0; i < 20; i++) {
        tx.set(key("w", i), v("old" + i));
      }
    });
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(key("w", 3), v("new3"));
      tx.set(key("w", 40), v("fresh"));
      tx.clear(key("w", 4));
      tx.clearRange(key("w", 10), key("w", 15));
      tx.set(key("w", 12), v("back"));
      List<RangeRead> reads = List.of(
          read(key("w", 0), key("w", 99), false, 8),
          read(key("w", 0), key("w", 99), true, 3),
          read(key("w", 9), key("w", 16), false, 10),
          RangeRead.point(key("w", 4)),
          RangeRead.point(key("w", 3)));
      List<List<KeyValue>> got = tx.scanAll(reads);
      assertThat(got.get(0)).extracting(KeyValue::key).contains(key("w", 3))
          .doesNotContain(key("w", 4));
      assertThat(got.get(1).get(0).key()).as("own set past the committed keys")
          .isEqualTo(key("w", 40));
      assertThat(got.get(2)).extracting(KeyValue::key)
          .containsExactly(key("w", 9), key("w", 12), key("w", 15));
      assertThat(got.get(3)).as("cleared in this transaction").isEmpty();
      assertThat(got.get(4).get(0).value()).isEqualTo(v("new3"));
      assertLikeScans(tx, reads, "own writes");
    }
  }

  @Test
  default void scanAllReadsTheTransactionsSnapshot() {
    commit(engine(), tx -> {
      tx.set(k("x"), v("1"));
      tx.set(k("y"), v("1"));
    });
    try (EngineTransaction reader = engine().begin(true)) {
      assertThat(reader.get(k("x"))).isEqualTo(v("1"));
      commit(engine(), tx -> {
        tx.set(k("x"), v("2"));
        tx.clear(k("y"));
        tx.set(k("z"), v("2"));
      });
      List<List<KeyValue>> got = reader.scanAll(List.of(RangeRead.point(k("x")),
          read(k("x"), k("zz"), false, 10)));
      assertThat(got.get(0).get(0).value()).as("x as of the snapshot").isEqualTo(v("1"));
      assertThat(got.get(1)).as("y still there, z not yet").extracting(KeyValue::key)
          .containsExactly(k("x"), k("y"));
    }
  }

  @Test
  default void readOnceAnswersAsAFreshReadOnlyTransaction() {
    Random random = new Random(11);
    commitSome("o", 200, random, 3);
    commit(engine(), tx -> tx.set(k("oe"), v("")));
    commit(engine(), tx -> tx.clearRange(key("o", 40), key("o", 60)));
    try (EngineTransaction open = engine().begin(false)) {
      // Uncommitted writes of an open transaction are not read.
      open.set(key("o", 50), v("uncommitted"));
      open.clear(key("o", 1));
      for (int round = 0; round < 10; round++) {
        List<RangeRead> reads = new ArrayList<>();
        int n = 1 + random.nextInt(RangeRead.MAX_READS - 2);
        for (int j = 0; j < n; j++) {
          int a = random.nextInt(220);
          int b = a + random.nextInt(60);
          reads.add(random.nextInt(5) == 0 ? RangeRead.point(key("o", a))
              : read(key("o", a), key("o", b), random.nextBoolean(), 1 + random.nextInt(40)));
        }
        reads.add(RangeRead.point(k("oe")));
        reads.add(read(key("o", 40), key("o", 60), false, 10));
        List<List<KeyValue>> got = engine().readOnce(reads);
        assertThat(got.get(got.size() - 2)).as("empty value").extracting(KeyValue::value)
            .containsExactly(v(""));
        assertThat(got.get(got.size() - 1)).as("cleared, and written only uncommitted").isEmpty();
        try (EngineTransaction tx = engine().begin(true)) {
          List<List<KeyValue>> expected = tx.scanAll(reads);
          assertThat(got).as("round %d: one list per read", round).hasSize(reads.size());
          for (int i = 0; i < reads.size(); i++) {
            assertThat(got.get(i)).as("round %d read %d keys", round, i).extracting(KeyValue::key)
                .containsExactlyElementsOf(expected.get(i).stream().map(KeyValue::key).toList());
            assertThat(got.get(i)).as("round %d read %d values", round, i)
                .extracting(KeyValue::value)
                .containsExactlyElementsOf(expected.get(i).stream().map(KeyValue::value).toList());
          }
        }
      }
      open.rollback();
    }
    assertThat(engine().readOnce(List.of())).as("no reads").isEmpty();
    List<RangeRead> tooMany = new ArrayList<>();
    for (int i = 0; i <= RangeRead.MAX_READS; i++) {
      tooMany.add(RangeRead.point(key("o", i)));
    }
    assertThatThrownBy(() -> engine().readOnce(tooMany)).as("reads past the limit")
        .isInstanceOf(io.tito.InvalidArgumentException.class);
    commit(engine(), tx -> tx.set(key("o", 45), v("later")));
    assertThat(engine().readOnce(List.of(RangeRead.point(key("o", 45)))).get(0))
        .as("a later commit is read").extracting(KeyValue::value).containsExactly(v("later"));
  }

  @Test
  default void randomBatchesMatchOneScanPerRead() {
    Random random = new Random(7);
    commitSome("r", 300, random, 4);
    commit(engine(), tx -> {
      for (int i = 0; i < 300; i += 7) {
        tx.clear(key("r", i));
      }
    });
    for (int round = 0; round < 20; round++) {
      boolean write = round % 2 == 1;
      try (EngineTransaction tx = engine().begin(!write)) {
        if (write) {
          for (int j = 0; j < 10; j++) {
            int i = random.nextInt(320);
            if (random.nextBoolean()) {
              tx.set(key("r", i), v("w" + round));
            } else {
              tx.clear(key("r", i));
            }
          }
        }
        List<RangeRead> reads = new ArrayList<>();
        int n = 1 + random.nextInt(RangeRead.MAX_READS);
        for (int j = 0; j < n; j++) {
          int a = random.nextInt(320);
          int b = a + random.nextInt(80);
          reads.add(random.nextInt(5) == 0 ? RangeRead.point(key("r", a))
              : read(key("r", a), key("r", b), random.nextBoolean(), 1 + random.nextInt(60)));
        }
        assertLikeScans(tx, reads, "round " + round);
      }
    }
  }
}
