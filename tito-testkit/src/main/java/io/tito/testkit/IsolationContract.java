package io.tito.testkit;

import static io.tito.testkit.Kit.ALL_END;
import static io.tito.testkit.Kit.EMPTY;
import static io.tito.testkit.Kit.assertContents;
import static io.tito.testkit.Kit.assertValue;
import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.commitModel;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.pin;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.scan;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.ScanOptions;
import io.tito.spi.Capability;
import io.tito.spi.EngineTransaction;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Snapshot isolation seen from readers: uncommitted writes are invisible, a transaction's reads
 * (gets and scans) stay the same while others commit, new transactions see every earlier commit,
 * read-only transactions read and never write.
 */
public interface IsolationContract extends EngineFixture {

  @Test
  default void uncommittedWritesAreInvisibleToOtherTransactions() {
    ReferenceModel before = Kit.trickyModel();
    commitModel(engine(), before);
    try (EngineTransaction writer = engine().begin(false)) {
      writer.set(k("a"), v("changed"));
      writer.set(k("new"), v("inserted"));
      writer.clear(k("b"));
      writer.clearRange(k("\u00ff"), ALL_END);
      try (EngineTransaction other = engine().begin(false)) {
        assertValue(other.get(k("a")), before.get(k("a")), "overwrite not yet committed");
        assertValue(other.get(k("new")), null, "insert not yet committed");
        assertContents(other, before, "read-write transaction during another's writes");
      }
      read(engine(), other -> {
        assertContents(other, before, "read-only transaction during another's writes");
        return null;
      });
      writer.rollback();
    }
    read(engine(), tx -> {
      assertContents(tx, before, "after the writer rolled back");
      return null;
    });
  }

  @Test
  default void readsStayTheSameWhileOthersCommit() {
    ReferenceModel before = Kit.trickyModel();
    commitModel(engine(), before);
    for (boolean readOnly : new boolean[] {true, false}) {
      try (EngineTransaction t1 = engine().begin(readOnly)) {
        assertValue(t1.get(k("a")), before.get(k("a")), "first read");
        List<KeyValue> forward = scan(t1, k("a"), k("b"), ScanOptions.FORWARD);
        List<KeyValue> reverse = scan(t1, EMPTY, ALL_END, new ScanOptions(true, 5));
        commit(engine(), tx -> tx.set(k("a"), v("overwritten")));
        commit(engine(), tx -> tx.set(k("a\0\0\0"), v("inserted")));
        commit(engine(), tx -> tx.clear(k("ab")));
        commit(engine(), tx -> tx.clearRange(k("\u00ff"), ALL_END));
        commit(engine(), tx -> tx.set(k("\u00ff\u00ff\u00ff\u00ff"), v("inserted")));
        assertValue(t1.get(k("a")), before.get(k("a")), "re-read after another commit, readOnly=%s", readOnly);
        assertValue(t1.get(k("ab")), before.get(k("ab")), "key cleared by another, not read before");
        assertValue(t1.get(k("a\0\0\0")), null, "key inserted by another");
        assertThat(scan(t1, k("a"), k("b"), ScanOptions.FORWARD)).as("forward scan again").isEqualTo(forward);
        assertThat(scan(t1, EMPTY, ALL_END, new ScanOptions(true, 5))).as("reverse scan again").isEqualTo(reverse);
        assertContents(t1, before, "whole snapshot, readOnly=" + readOnly);
        t1.commit();
      }
      commit(engine(), tx -> {
        tx.clearRange(EMPTY, ALL_END);
        before.writeTo(tx);
      });
    }
  }

  /** A snapshot also covers keys the transaction has not read yet. */
  @Test
  default void theSnapshotIsFixedNoLaterThanTheFirstRead() {
    commit(engine(), tx -> tx.set(k("x"), v("1")));
    try (EngineTransaction t1 = engine().begin(false)) {
      assertValue(t1.get(k("unrelated")), null, "first read");
      commit(engine(), tx -> {
        tx.set(k("x"), v("2"));
        tx.set(k("y"), v("2"));
      });
      assertValue(t1.get(k("x")), v("1"), "key changed after the first read");
      assertValue(t1.get(k("y")), null, "key created after the first read");
      assertThat(scan(t1, EMPTY, ALL_END, ScanOptions.FORWARD)).containsExactly(new KeyValue(k("x"), v("1")));
    }
  }

  @Test
  default void aNewTransactionSeesEveryEarlierCommit() {
    for (int i = 0; i < 20; i++) {
      int n = i;
      commit(engine(), tx -> {
        tx.set(k("counter"), v(Integer.toString(n)));
        tx.set(Kit.key("item/", n), v("x"));
      });
      read(engine(), tx -> {
        assertValue(tx.get(k("counter")), v(Integer.toString(n)), "counter after commit %d", n);
        assertThat(scan(tx, k("item/"), k("item0"), ScanOptions.FORWARD)).hasSize(n + 1);
        return null;
      });
    }
  }

  @Test
  default void readOnlyTransactionsReadAndRejectWrites() {
    commit(engine(), tx -> tx.set(k("k"), v("v")));
    try (EngineTransaction tx = engine().begin(false)) {
      assertThat(tx.isReadOnly()).as("begin(false).isReadOnly()").isFalse();
    }
    try (EngineTransaction tx = engine().begin(true)) {
      assertThat(tx.isReadOnly()).as("begin(true).isReadOnly()").isTrue();
      assertValue(tx.get(k("k")), v("v"), "read-only get");
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.REVERSE)).containsExactly(new KeyValue(k("k"), v("v")));
      assertThatThrownBy(() -> tx.set(k("k"), v("w")), "set").isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.set(k("new"), v("w")), "set").isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.clear(k("k")), "clear").isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.clearRange(EMPTY, ALL_END), "clearRange")
          .isInstanceOf(InvalidArgumentException.class);
      assertValue(tx.get(k("k")), v("v"), "read-only get after rejected writes");
      assertValue(tx.get(k("new")), null, "rejected set is not visible");
      tx.commit();
    }
    read(engine(), tx -> {
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).containsExactly(new KeyValue(k("k"), v("v")));
      return null;
    });
  }

  @Test
  default void readOnlyTransactionsNeverConflict() {
    commit(engine(), tx -> tx.set(k("k"), v("1")));
    try (EngineTransaction ro = engine().begin(true)) {
      assertValue(ro.get(k("k")), v("1"), "read-only read");
      assertThat(scan(ro, EMPTY, ALL_END, ScanOptions.FORWARD)).hasSize(1);
      commit(engine(), tx -> {
        tx.set(k("k"), v("2"));
        tx.set(k("k2"), v("2"));
      });
      assertValue(ro.get(k("k")), v("1"), "read-only re-read");
      ro.commit();
    }
  }

  /** Write skew (each reads both, writes one): allowed under snapshot isolation, not when serializable. */
  @Test
  default void writeSkewIsPreventedWhenSerializable() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.SERIALIZABLE),
        "engine does not declare SERIALIZABLE");
    commit(engine(), tx -> {
      tx.set(k("x"), v("1"));
      tx.set(k("y"), v("1"));
    });
    EngineTransaction t1 = engine().begin(false);
    EngineTransaction t2 = engine().begin(false);
    try {
      t1.get(k("x"));
      t1.get(k("y"));
      t2.get(k("x"));
      t2.get(k("y"));
      t1.set(k("x"), v("0"));
      t2.set(k("y"), v("0"));
      int conflicts = 0;
      for (EngineTransaction t : List.of(t1, t2)) {
        try {
          t.commit();
        } catch (ConflictException e) {
          conflicts++;
        }
      }
      assertThat(conflicts).as("commits that failed with a conflict").isEqualTo(1);
    } finally {
      t1.close();
      t2.close();
    }
    read(engine(), tx -> {
      int zeros = (tx.get(k("x"))[0] == '0' ? 1 : 0) + (tx.get(k("y"))[0] == '0' ? 1 : 0);
      assertThat(zeros).as("keys set to 0").isEqualTo(1);
      return null;
    });
  }

  @Test
  default void snapshotsOfConcurrentTransactionsAreIndependent() {
    commit(engine(), tx -> tx.set(k("k"), v("0")));
    EngineTransaction[] readers = new EngineTransaction[4];
    try {
      for (int i = 0; i < readers.length; i++) {
        readers[i] = engine().begin(i % 2 == 0);
        pin(readers[i]);
        int n = i + 1;
        commit(engine(), tx -> tx.set(k("k"), v(Integer.toString(n))));
      }
      for (int i = 0; i < readers.length; i++) {
        assertValue(readers[i].get(k("k")), v(Integer.toString(i)), "reader %d", i);
      }
    } finally {
      for (EngineTransaction r : readers) {
        if (r != null) {
          r.close();
        }
      }
    }
  }
}
