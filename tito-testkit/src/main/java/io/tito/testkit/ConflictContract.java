package io.tito.testkit;

import static io.tito.testkit.Kit.EMPTY;
import static io.tito.testkit.Kit.assertValue;
import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.pin;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.scan;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tito.ByteArrays;
import io.tito.ClosedException;
import io.tito.ConflictException;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * First committer wins on written keys: lost updates are prevented, write-write conflicts of
 * every kind (set, clear, range clear) are detected, disjoint writes never conflict, and a
 * conflicting commit applies nothing and ends its transaction.
 */
public interface ConflictContract extends EngineFixture {

  @Test
  default void lostUpdatesArePrevented() {
    commit(engine(), tx -> tx.set(k("counter"), Kit.encodeLong(0)));
    try (EngineTransaction t1 = engine().begin(false); EngineTransaction t2 = engine().begin(false)) {
      long c1 = Kit.decodeLong(t1.get(k("counter")));
      long c2 = Kit.decodeLong(t2.get(k("counter")));
      t1.set(k("counter"), Kit.encodeLong(c1 + 1));
      t2.set(k("counter"), Kit.encodeLong(c2 + 1));
      t1.commit();
      Throwable failure = catchThrowable(t2::commit);
      assertThat(failure).as("second commit of counter+1 over the same snapshot")
          .isInstanceOf(ConflictException.class);
      assertThat(((ConflictException) failure).isRetriable()).isTrue();
    }
    commit(engine(), tx -> tx.set(k("counter"), Kit.encodeLong(Kit.decodeLong(tx.get(k("counter"))) + 1)));
    read(engine(), tx -> {
      assertThat(Kit.decodeLong(tx.get(k("counter")))).as("counter after the retry").isEqualTo(2);
      return null;
    });
  }

  /**
   * Two transactions take their snapshots, each makes one write (plus one on a key of its own),
   * the first commits, then the second: it must fail with a conflict exactly when their writes
   * touch a common key, and then apply nothing. Each case runs with the second transaction writing
   * before and after the first one's commit (the snapshot decides, not the timing of the write).
   * Committed before each case: keys b, d, f, h (prefixed, so cases do not interfere).
   */
  @TestFactory
  default List<DynamicTest> writeWriteConflicts() {
    Object[][] cases = {
        {Write.set("d", "1"), Write.set("d", "2"), true},
        {Write.set("x", "1"), Write.set("x", "2"), true},
        {Write.set("d", "1"), Write.clear("d"), true},
        {Write.clear("d"), Write.set("d", "2"), true},
        {Write.clear("d"), Write.clear("d"), true},
        {Write.clearRange("c", "g"), Write.set("e", "2"), true},
        {Write.set("e", "1"), Write.clearRange("c", "g"), true},
        {Write.clearRange("c", "g"), Write.set("d", "2"), true},
        {Write.set("d", "1"), Write.clearRange("c", "g"), true},
        {Write.clearRange("c", "g"), Write.set("c", "2"), true},
        {Write.clearRange("b", "e"), Write.clearRange("d", "g"), true},
        {Write.set("d", "1"), Write.set("f", "2"), false},
        {Write.set("d", "1"), Write.set("d\0", "2"), false},
        {Write.set("d\0", "1"), Write.set("d", "2"), false},
        {Write.clear("d"), Write.clear("f"), false},
        {Write.clearRange("c", "g"), Write.set("g", "2"), false},
        {Write.set("g", "1"), Write.clearRange("c", "g"), false},
        {Write.clearRange("c", "g"), Write.set("b\u00ff", "2"), false},
        {Write.clearRange("b", "d"), Write.clearRange("d", "f"), false},
        {Write.clearRange("d", "f"), Write.set("f", "2"), false},
    };
    List<DynamicTest> tests = new ArrayList<>();
    int[] prefixes = {0};
    for (Object[] c : cases) {
      for (boolean writeAfterCommit : new boolean[] {false, true}) {
        Write w1 = (Write) c[0];
        Write w2 = (Write) c[1];
        boolean conflict = (Boolean) c[2];
        String name = w1 + " vs " + w2 + (conflict ? " conflicts" : " does not conflict")
            + (writeAfterCommit ? " (second writes after the first commits)" : " (both write, then commit)");
        tests.add(DynamicTest.dynamicTest(name,
            () -> conflictCase(this, Kit.key("case/", prefixes[0]++), w1, w2, conflict, writeAfterCommit)));
      }
    }
    return tests;
  }

  private static void conflictCase(EngineFixture f, byte[] prefix, Write w1, Write w2, boolean conflict,
      boolean writeAfterCommit) {
    ReferenceModel model = new ReferenceModel();
    for (String key : new String[] {"b", "d", "f", "h"}) {
      model.set(ByteArrays.concat(prefix, k(key)), v("initial " + key));
    }
    commit(f.engine(), model::writeTo);
    byte[] own1 = ByteArrays.concat(prefix, k("own1"));
    byte[] own2 = ByteArrays.concat(prefix, k("own2"));
    try (EngineTransaction t1 = f.engine().begin(false); EngineTransaction t2 = f.engine().begin(false)) {
      pin(t1);
      pin(t2);
      w1.engineOp().accept(t1, prefix);
      t1.set(own1, v("t1"));
      if (!writeAfterCommit) {
        w2.engineOp().accept(t2, prefix);
        t2.set(own2, v("t2"));
      }
      t1.commit();
      w1.modelOp().accept(model, prefix);
      model.set(own1, v("t1"));
      if (writeAfterCommit) {
        w2.engineOp().accept(t2, prefix);
        t2.set(own2, v("t2"));
      }
      Throwable failure = catchThrowable(t2::commit);
      if (conflict) {
        assertThat(failure).as("second commit").isInstanceOf(ConflictException.class);
      } else {
        assertThat(failure).as("second commit").isNull();
        w2.modelOp().accept(model, prefix);
        model.set(own2, v("t2"));
      }
    }
    read(f.engine(), tx -> {
      assertThat(scan(tx, prefix, ByteArrays.strinc(prefix), ScanOptions.FORWARD))
          .as("committed state").containsExactlyElementsOf(model.scan(prefix, ByteArrays.strinc(prefix), false, 0));
      return null;
    });
  }

  @Test
  default void aConflictingCommitAppliesNothingAndEndsItsTransaction() {
    commit(engine(), tx -> {
      tx.set(k("k"), v("initial"));
      tx.set(k("keep1"), v("1"));
      tx.set(k("keep2"), v("2"));
      tx.set(k("r/1"), v("r1"));
    });
    EngineTransaction loser = engine().begin(false);
    try {
      pin(loser);
      loser.set(k("a-new-key"), v("x"));
      loser.clear(k("keep1"));
      loser.clearRange(k("r/"), k("r0"));
      loser.set(k("keep2"), v("changed"));
      loser.set(k("k"), v("loser"));
      loser.set(k("z-new-key"), EMPTY);
      commit(engine(), tx -> tx.set(k("k"), v("winner")));
      assertThatThrownBy(loser::commit).isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> loser.get(k("k")), "get after a failed commit").isInstanceOf(ClosedException.class);
      assertThatThrownBy(() -> loser.set(k("k"), v("again")), "set after a failed commit")
          .isInstanceOf(ClosedException.class);
      assertThatThrownBy(loser::commit, "commit after a failed commit").isInstanceOf(ClosedException.class);
      loser.rollback();
    } finally {
      loser.close();
      loser.close();
    }
    read(engine(), tx -> {
      ReferenceModel expected = new ReferenceModel();
      expected.set(k("k"), v("winner"));
      expected.set(k("keep1"), v("1"));
      expected.set(k("keep2"), v("2"));
      expected.set(k("r/1"), v("r1"));
      Kit.assertContents(tx, expected, "after the loser's failed commit");
      return null;
    });
  }

  @Test
  default void sequentialTransactionsDoNotConflict() {
    for (int i = 0; i < 5; i++) {
      String value = Integer.toString(i);
      commit(engine(), tx -> {
        tx.get(k("k"));
        tx.set(k("k"), v(value));
        tx.clearRange(k("r"), k("s"));
        tx.set(k("r" + value), v(value));
      });
    }
    read(engine(), tx -> {
      assertValue(tx.get(k("k")), v("4"), "last of five sequential writers");
      assertThat(scan(tx, k("r"), k("s"), ScanOptions.FORWARD)).hasSize(1);
      return null;
    });
  }

  @Test
  default void rolledBackWritesCauseNoConflict() {
    commit(engine(), tx -> tx.set(k("k"), v("0")));
    try (EngineTransaction t1 = engine().begin(false); EngineTransaction t2 = engine().begin(false)) {
      pin(t1);
      pin(t2);
      t1.set(k("k"), v("1"));
      t1.clearRange(EMPTY, Kit.ALL_END);
      t1.rollback();
      t2.set(k("k"), v("2"));
      t2.commit();
    }
    read(engine(), tx -> {
      assertValue(tx.get(k("k")), v("2"), "value of the only committed writer");
      return null;
    });
  }
}
