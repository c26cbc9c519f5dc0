package io.tito.testkit;

import static io.tito.testkit.Kit.ALL_END;
import static io.tito.testkit.Kit.EMPTY;
import static io.tito.testkit.Kit.assertScanMatrix;
import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.commitModel;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.scan;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * Ordered range scans of committed data: unsigned byte order, {@code [begin, end)} bounds,
 * forward and reverse, limits, keys that are prefixes of other keys, 0x00 and 0xFF bytes, paging,
 * several cursors at once.
 */
public interface RangeScanContract extends EngineFixture {

  @Test
  default void scanOfAnEmptyEngineReturnsNothing() {
    read(engine(), tx -> {
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).isEmpty();
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.REVERSE)).isEmpty();
      assertThat(scan(tx, k("a"), k("b"), new ScanOptions(false, 1))).isEmpty();
      return null;
    });
  }

  @Test
  default void beginIsInclusiveAndEndIsExclusive() {
    commit(engine(), tx -> {
      for (String s : new String[] {"a", "b", "c", "d"}) {
        tx.set(k(s), v(s));
      }
    });
    read(engine(), tx -> {
      assertThat(scan(tx, k("b"), k("d"), ScanOptions.FORWARD))
          .containsExactly(new KeyValue(k("b"), v("b")), new KeyValue(k("c"), v("c")));
      assertThat(scan(tx, k("b"), k("d"), ScanOptions.REVERSE))
          .containsExactly(new KeyValue(k("c"), v("c")), new KeyValue(k("b"), v("b")));
      assertThat(scan(tx, k("b"), k("d"), new ScanOptions(true, 1)))
          .as("reverse scan with limit 1 starts just below end").containsExactly(new KeyValue(k("c"), v("c")));
      assertThat(scan(tx, k("b\0"), k("d\0"), ScanOptions.FORWARD))
          .containsExactly(new KeyValue(k("c"), v("c")), new KeyValue(k("d"), v("d")));
      return null;
    });
  }

  @Test
  default void beginEqualToEndIsAnEmptyRange() {
    commit(engine(), tx -> tx.set(k("k"), v("v")));
    read(engine(), tx -> {
      for (ScanOptions o : List.of(ScanOptions.FORWARD, ScanOptions.REVERSE, new ScanOptions(false, 1),
          new ScanOptions(true, 1))) {
        assertThat(scan(tx, k("k"), k("k"), o)).as("scan [k, k) %s", o).isEmpty();
      }
      return null;
    });
  }

  @Test
  default void beginAfterEndIsRejected() {
    try (EngineTransaction tx = engine().begin(true)) {
      assertThatThrownBy(() -> tx.scan(k("b"), k("a"), ScanOptions.FORWARD).close())
          .isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.scan(k("a\0"), k("a"), ScanOptions.REVERSE).close())
          .isInstanceOf(InvalidArgumentException.class);
      assertThat(scan(tx, k("a"), k("b"), ScanOptions.FORWARD)).as("the transaction is still usable").isEmpty();
    }
  }

  @Test
  default void keysAreOrderedAsUnsignedBytes() {
    ReferenceModel model = new ReferenceModel();
    for (int b = 0; b < 256; b++) {
      model.set(Kit.bytes(b), Kit.bytes(b));
      model.set(Kit.bytes(b, 0x80), Kit.bytes(b, 1));
    }
    commitModel(engine(), model);
    read(engine(), tx -> {
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).containsExactlyElementsOf(model.rows());
      assertThat(scan(tx, Kit.bytes(0x7F), Kit.bytes(0x81), ScanOptions.FORWARD)).containsExactly(
          new KeyValue(Kit.bytes(0x7F), Kit.bytes(0x7F)), new KeyValue(Kit.bytes(0x7F, 0x80), Kit.bytes(0x7F, 1)),
          new KeyValue(Kit.bytes(0x80), Kit.bytes(0x80)), new KeyValue(Kit.bytes(0x80, 0x80), Kit.bytes(0x80, 1)));
      assertThat(scan(tx, Kit.bytes(0xFE), ALL_END, ScanOptions.REVERSE)).containsExactly(
          new KeyValue(Kit.bytes(0xFF, 0x80), Kit.bytes(0xFF, 1)), new KeyValue(Kit.bytes(0xFF), Kit.bytes(0xFF)),
          new KeyValue(Kit.bytes(0xFE, 0x80), Kit.bytes(0xFE, 1)), new KeyValue(Kit.bytes(0xFE), Kit.bytes(0xFE)));
      return null;
    });
  }

  @Test
  default void everyBoundPairDirectionAndLimitMatchesTheModel() {
    ReferenceModel model = Kit.trickyModel();
    commitModel(engine(), model);
    read(engine(), tx -> {
      assertScanMatrix(tx, model, Kit.trickyBounds(), "committed tricky keys");
      return null;
    });
  }

  @Test
  default void prefixRangesHoldExactlyTheKeysWithThatPrefix() {
    ReferenceModel model = Kit.trickyModel();
    commitModel(engine(), model);
    read(engine(), tx -> {
      for (String prefix : new String[] {"a", "a\0", "\0", "\u00ff\0", "\u007f"}) {
        KeyRange r = KeyRange.startsWith(k(prefix));
        List<KeyValue> expected = model.rows().stream()
            .filter(kv -> ByteArrays.startsWith(kv.key(), k(prefix))).toList();
        assertThat(scan(tx, r.begin(), r.end(), ScanOptions.FORWARD))
            .as("keys starting with %s", ByteArrays.printable(k(prefix))).containsExactlyElementsOf(expected);
        assertThat(scan(tx, r.begin(), r.end(), ScanOptions.REVERSE))
            .as("keys starting with %s, reverse", ByteArrays.printable(k(prefix)))
            .containsExactlyElementsOf(expected.reversed());
      }
      assertThat(scan(tx, k("\u00ff\u00ff"), ALL_END, ScanOptions.FORWARD)).as("keys starting with ff ff")
          .containsExactly(new KeyValue(k("\u00ff\u00ff"), model.get(k("\u00ff\u00ff"))),
              new KeyValue(k("\u00ff\u00ff\0"), model.get(k("\u00ff\u00ff\0"))),
              new KeyValue(k("\u00ff\u00ff\u00ff"), model.get(k("\u00ff\u00ff\u00ff"))));
      return null;
    });
  }

  /** Paging with limits, resuming after the last row (forward) or before it (reverse), never skips or repeats. */
  @Test
  default void pagingResumesExactlyAfterTheLastRow() {
    ReferenceModel model = Kit.trickyModel();
    commitModel(engine(), model);
    read(engine(), tx -> {
      for (int pageSize = 1; pageSize <= 4; pageSize++) {
        List<KeyValue> forward = new ArrayList<>();
        byte[] begin = EMPTY;
        for (int pages = 0; pages <= model.size(); pages++) {
          List<KeyValue> page = scan(tx, begin, ALL_END, false, pageSize);
          forward.addAll(page);
          if (page.size() < pageSize) {
            break;
          }
          begin = ByteArrays.keyAfter(page.get(page.size() - 1).key());
        }
        assertThat(forward).as("forward pages of %d", pageSize).containsExactlyElementsOf(model.rows());

        List<KeyValue> backward = new ArrayList<>();
        byte[] end = ALL_END;
        for (int pages = 0; pages <= model.size(); pages++) {
          List<KeyValue> page = scan(tx, EMPTY, end, true, pageSize);
          backward.addAll(page);
          if (page.size() < pageSize) {
            break;
          }
          end = page.get(page.size() - 1).key();
        }
        assertThat(backward).as("reverse pages of %d", pageSize).containsExactlyElementsOf(model.rows().reversed());
      }
      return null;
    });
  }

  @Test
  default void limitsOnALargerRange() {
    ReferenceModel model = new ReferenceModel();
    for (int i = 0; i < 1000; i++) {
      model.set(Kit.key("row/", i), Kit.pattern(1 + i % 40, i));
    }
    commitModel(engine(), model);
    read(engine(), tx -> {
      byte[] b = k("row/");
      byte[] e = k("row0");
      for (int limit : new int[] {0, 1, 10, 999, 1000, 1001}) {
        assertThat(scan(tx, b, e, false, limit)).as("forward limit %d", limit)
            .containsExactlyElementsOf(model.scan(b, e, false, limit));
        assertThat(scan(tx, b, e, true, limit)).as("reverse limit %d", limit)
            .containsExactlyElementsOf(model.scan(b, e, true, limit));
      }
      byte[] mid = Kit.key("row/", 500);
      assertThat(scan(tx, mid, e, false, 3)).containsExactlyElementsOf(model.scan(mid, e, false, 3));
      assertThat(scan(tx, b, mid, true, 3)).containsExactlyElementsOf(model.scan(b, mid, true, 3));
      try (KeyValueCursor c = tx.scan(b, e, ScanOptions.FORWARD)) {
        for (int i = 0; i < 5; i++) {
          assertThat(c.next()).isEqualTo(model.rows().get(i));
        }
      }
      return null;
    });
  }

  @Test
  default void severalCursorsOfOneTransactionInterleave() {
    ReferenceModel model = Kit.trickyModel();
    commitModel(engine(), model);
    try (EngineTransaction tx = engine().begin(true)) {
      List<KeyValue> fwd = new ArrayList<>();
      List<KeyValue> rev = new ArrayList<>();
      List<KeyValue> sub = new ArrayList<>();
      try (KeyValueCursor f = tx.scan(EMPTY, ALL_END, ScanOptions.FORWARD);
          KeyValueCursor r = tx.scan(EMPTY, ALL_END, ScanOptions.REVERSE);
          KeyValueCursor s = tx.scan(k("a"), k("b"), new ScanOptions(false, 3))) {
        while (f.hasNext() || r.hasNext() || s.hasNext()) {
          if (f.hasNext()) {
            fwd.add(f.next());
          }
          Kit.assertValue(tx.get(k("ab")), model.get(k("ab")), "get between cursor steps");
          if (r.hasNext()) {
            rev.add(r.next());
          }
          if (s.hasNext()) {
            sub.add(s.next());
          }
        }
      }
      assertThat(fwd).containsExactlyElementsOf(model.rows());
      assertThat(rev).containsExactlyElementsOf(model.rows().reversed());
      assertThat(sub).containsExactlyElementsOf(model.scan(k("a"), k("b"), false, 3));
    }
  }

  @Test
  default void cursorFollowsTheIteratorContract() {
    commit(engine(), tx -> {
      tx.set(k("a"), v("1"));
      tx.set(k("b"), v("2"));
    });
    try (EngineTransaction tx = engine().begin(true)) {
      KeyValueCursor c = tx.scan(EMPTY, ALL_END, ScanOptions.FORWARD);
      assertThat(c.hasNext()).isTrue();
      assertThat(c.hasNext()).as("hasNext twice does not skip a row").isTrue();
      assertThat(c.next()).isEqualTo(new KeyValue(k("a"), v("1")));
      assertThat(c.next()).as("next without hasNext").isEqualTo(new KeyValue(k("b"), v("2")));
      assertThat(c.hasNext()).isFalse();
      assertThatThrownBy(c::next).isInstanceOf(NoSuchElementException.class);
      c.close();
      c.close();
      KeyValueCursor limited = tx.scan(EMPTY, ALL_END, new ScanOptions(true, 1));
      assertThat(limited.next()).isEqualTo(new KeyValue(k("b"), v("2")));
      assertThat(limited.hasNext()).as("limit reached").isFalse();
      assertThatThrownBy(limited::next).isInstanceOf(NoSuchElementException.class);
      limited.close();
      KeyValueCursor abandoned = tx.scan(EMPTY, ALL_END, ScanOptions.FORWARD);
      abandoned.next();
      abandoned.close();
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).as("the transaction after closing cursors").hasSize(2);
    }
  }
}
