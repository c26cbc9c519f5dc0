package io.tito.testkit;

import static io.tito.testkit.Kit.ALL_END;
import static io.tito.testkit.Kit.EMPTY;
import static io.tito.testkit.Kit.assertContents;
import static io.tito.testkit.Kit.assertScanMatrix;
import static io.tito.testkit.Kit.assertValue;
import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.commitModel;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.scan;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A transaction sees its own pending writes: in gets, and in scans that merge pending sets,
 * clears and cleared ranges with the snapshot, in both directions and under limits. A cursor
 * shows the transaction as it was when the cursor was opened.
 */
public interface ReadYourWritesContract extends EngineFixture {

  /** Committed a..f, then a transaction's pending writes over them. */
  private static ReferenceModel committedLetters() {
    ReferenceModel m = new ReferenceModel();
    for (String s : new String[] {"a", "b", "c", "d", "e", "f"}) {
      m.set(k(s), v("old " + s));
    }
    return m;
  }

  @Test
  default void getSeesPendingSetsClearsAndClearedRanges() {
    commitModel(engine(), committedLetters());
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(k("a"), v("new a"));
      tx.set(k("a\0"), v("new a0"));
      tx.clear(k("b"));
      tx.clearRange(k("c"), k("e"));
      tx.set(k("d"), v("new d"));
      assertValue(tx.get(k("a")), v("new a"), "pending overwrite");
      assertValue(tx.get(k("a\0")), v("new a0"), "pending insert");
      assertValue(tx.get(k("b")), null, "pending clear");
      assertValue(tx.get(k("c")), null, "inside a pending cleared range");
      assertValue(tx.get(k("c\0")), null, "inside a pending cleared range, never written");
      assertValue(tx.get(k("d")), v("new d"), "set after the cleared range covering it");
      assertValue(tx.get(k("e")), v("old e"), "the end of a cleared range is exclusive");
      assertValue(tx.get(k("f")), v("old f"), "untouched");
      tx.set(k("e"), v("x"));
      tx.clearRange(k("d"), k("f"));
      assertValue(tx.get(k("d")), null, "a set before a cleared range covering it is gone");
      assertValue(tx.get(k("e")), null, "a set before a cleared range covering it is gone");
      tx.commit();
    }
    ReferenceModel expected = new ReferenceModel();
    expected.set(k("a"), v("new a"));
    expected.set(k("a\0"), v("new a0"));
    expected.set(k("f"), v("old f"));
    read(engine(), tx -> {
      assertContents(tx, expected, "after commit");
      return null;
    });
  }

  @Test
  default void scansMergePendingWritesWithTheSnapshot() {
    ReferenceModel model = committedLetters();
    commitModel(engine(), model);
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(k("b"), v("new b"));
      model.set(k("b"), v("new b"));
      tx.set(k("bb"), v("inserted"));
      model.set(k("bb"), v("inserted"));
      tx.clear(k("c"));
      model.clear(k("c"));
      tx.clearRange(k("d"), k("f"));
      model.clearRange(k("d"), k("f"));
      tx.set(k("e"), v("back"));
      model.set(k("e"), v("back"));
      tx.set(k("z"), EMPTY);
      model.set(k("z"), EMPTY);
      List<byte[]> bounds = new ArrayList<>();
      for (String s : new String[] {"", "a", "b", "bb", "c", "d", "e", "e\0", "f", "g", "z", "z\0"}) {
        bounds.add(k(s));
      }
      bounds.add(ALL_END);
      assertScanMatrix(tx, model, bounds, "pending writes over a..f");
      tx.commit();
    }
    read(engine(), tx -> {
      assertContents(tx, model, "after commit");
      return null;
    });
  }

  @Test
  default void limitsCountMergedRowsNotSnapshotRows() {
    commit(engine(), tx -> {
      tx.set(k("a"), v("1"));
      tx.set(k("c"), v("3"));
      tx.set(k("e"), v("5"));
      tx.set(k("g"), v("7"));
    });
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(k("b"), v("2"));
      tx.set(k("d"), v("4"));
      tx.clear(k("c"));
      tx.clearRange(k("e"), k("f"));
      assertThat(scan(tx, EMPTY, ALL_END, false, 3)).containsExactly(
          new KeyValue(k("a"), v("1")), new KeyValue(k("b"), v("2")), new KeyValue(k("d"), v("4")));
      assertThat(scan(tx, EMPTY, ALL_END, true, 3)).containsExactly(
          new KeyValue(k("g"), v("7")), new KeyValue(k("d"), v("4")), new KeyValue(k("b"), v("2")));
      assertThat(scan(tx, k("c"), k("g"), false, 1)).containsExactly(new KeyValue(k("d"), v("4")));
      assertThat(scan(tx, k("c"), k("g"), true, 1)).containsExactly(new KeyValue(k("d"), v("4")));
    }
  }

  @Test
  default void pendingWritesOverTrickyKeysMatchTheModel() {
    ReferenceModel committed = Kit.trickyModel();
    commitModel(engine(), committed);
    ReferenceModel model = committed.copy();
    try (EngineTransaction tx = engine().begin(false)) {
      String[][] sets = {{"a", "new"}, {"a\0\0\0", "ins1"}, {"aa", "ins2"}, {"\u00ff\u00ff\u00ff\u00ff", "ins3"},
          {"\u0080", ""}, {"", "root"}};
      for (String[] s : sets) {
        tx.set(k(s[0]), v(s[1]));
        model.set(k(s[0]), v(s[1]));
      }
      for (String s : new String[] {"a\0", "\u007f", "\u00ff", "never"}) {
        tx.clear(k(s));
        model.clear(k(s));
      }
      String[][] ranges = {{"a\0\u0001", "ab"}, {"\u00ff\u00ff", "\u00ff\u00ff\u00ff"}, {"\0", "\0\0"}};
      for (String[] r : ranges) {
        tx.clearRange(k(r[0]), k(r[1]));
        model.clearRange(k(r[0]), k(r[1]));
      }
      tx.set(k("a\u0001"), v("inside a cleared range"));
      model.set(k("a\u0001"), v("inside a cleared range"));
      assertScanMatrix(tx, model, Kit.trickyBounds(), "pending writes over tricky keys");
    }
    read(engine(), tx -> {
      assertContents(tx, committed, "after rollback");
      return null;
    });
  }

  /**
   * The kit's choice: an open cursor shows the transaction as it was when the cursor was opened;
   * writes made afterwards by the same transaction do not disturb it. New cursors see them.
   */
  @Test
  default void anOpenCursorIsNotDisturbedByLaterWritesOfItsTransaction() {
    ReferenceModel model = committedLetters();
    commitModel(engine(), model);
    for (boolean reverse : new boolean[] {false, true}) {
      try (EngineTransaction tx = engine().begin(false)) {
        tx.set(k("c\0"), v("pending before the cursor"));
        ReferenceModel atOpen = model.copy();
        atOpen.set(k("c\0"), v("pending before the cursor"));
        List<KeyValue> expected = atOpen.scan(EMPTY, ALL_END, reverse, 0);
        List<KeyValue> seen = new ArrayList<>();
        try (KeyValueCursor c = tx.scan(EMPTY, ALL_END, new ScanOptions(reverse, 0))) {
          seen.add(c.next());
          seen.add(c.next());
          tx.set(k("a\0"), v("after"));
          tx.set(k("e\0"), v("after"));
          tx.set(k("c"), v("after"));
          tx.set(k("d"), v("after"));
          tx.clear(k("c\0"));
          tx.clear(k("b"));
          tx.clear(k("e"));
          tx.clearRange(k("f"), ALL_END);
          tx.clearRange(EMPTY, k("b"));
          while (c.hasNext()) {
            seen.add(c.next());
          }
        }
        assertThat(seen).as("cursor opened before the writes, reverse=%s", reverse)
            .containsExactlyElementsOf(expected);
        assertThat(scan(tx, EMPTY, ALL_END, reverse, 0)).as("a new cursor sees the writes, reverse=%s", reverse)
            .containsExactlyElementsOf(reverse
                ? List.of(new KeyValue(k("e\0"), v("after")), new KeyValue(k("d"), v("after")),
                    new KeyValue(k("c"), v("after")))
                : List.of(new KeyValue(k("c"), v("after")), new KeyValue(k("d"), v("after")),
                    new KeyValue(k("e\0"), v("after"))));
      }
    }
  }

  @Test
  default void clearRangeWithBeginEqualToEndClearsNothing() {
    commit(engine(), tx -> tx.set(k("k"), v("v")));
    commit(engine(), tx -> {
      tx.clearRange(k("k"), k("k"));
      assertValue(tx.get(k("k")), v("v"), "after clearRange [k, k)");
    });
    read(engine(), tx -> {
      assertValue(tx.get(k("k")), v("v"), "after committing clearRange [k, k)");
      return null;
    });
  }

  @Test
  default void clearingTheWholeKeySpaceThenWriting() {
    ReferenceModel committed = Kit.trickyModel();
    commitModel(engine(), committed);
    try (EngineTransaction tx = engine().begin(false)) {
      tx.clearRange(EMPTY, ALL_END);
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).isEmpty();
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.REVERSE)).isEmpty();
      tx.set(k("ab"), v("only"));
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.REVERSE)).containsExactly(new KeyValue(k("ab"), v("only")));
      tx.commit();
    }
    read(engine(), tx -> {
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).containsExactly(new KeyValue(k("ab"), v("only")));
      return null;
    });
  }
}
