package io.tito.testkit;

import static io.tito.testkit.Kit.ALL_END;
import static io.tito.testkit.Kit.EMPTY;
import static io.tito.testkit.Kit.assertValue;
import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.scan;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tito.ClosedException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.Engine;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Transactions, cursors and the engine end cleanly: rollback discards, finished transactions and
 * closed engines reject further use with {@link ClosedException}, closing is idempotent, and
 * resources are released.
 */
public interface LifecycleContract extends EngineFixture {

  /** Every call that must fail on a finished transaction, by name. */
  private static Map<String, Consumer<EngineTransaction>> usesOfATransaction() {
    Map<String, Consumer<EngineTransaction>> uses = new LinkedHashMap<>();
    uses.put("get", tx -> tx.get(k("k")));
    uses.put("get of a key it wrote", tx -> tx.get(k("own")));
    uses.put("scan", tx -> tx.scan(EMPTY, ALL_END, ScanOptions.FORWARD).close());
    uses.put("set", tx -> tx.set(k("k"), v("late")));
    uses.put("clear", tx -> tx.clear(k("k")));
    uses.put("clearRange", tx -> tx.clearRange(EMPTY, ALL_END));
    uses.put("commit", EngineTransaction::commit);
    return uses;
  }

  @Test
  default void engineDescribesItself() {
    Engine e = engine();
    assertThat(e.name()).as("name()").isNotBlank();
    assertThat(e.capabilities()).as("capabilities()").isNotNull();
    EngineLimits limits = e.limits();
    assertThat(limits).as("limits()").isNotNull();
    assertThat(limits.maxTransactionSize()).as("maxTransactionSize >= maxKeySize + maxValueSize")
        .isGreaterThanOrEqualTo((long) limits.maxKeySize() + limits.maxValueSize());
  }

  @Test
  default void rollbackAndCloseDiscardEveryWrite() {
    ReferenceModel before = Kit.trickyModel();
    Kit.commitModel(engine(), before);
    for (boolean useClose : new boolean[] {false, true}) {
      EngineTransaction tx = engine().begin(false);
      tx.set(k("a"), v("changed"));
      tx.set(k("new"), v("new"));
      tx.clear(k("b"));
      tx.clearRange(k("\u00ff"), ALL_END);
      if (useClose) {
        tx.close();
      } else {
        tx.rollback();
      }
      read(engine(), r -> {
        Kit.assertContents(r, before, useClose ? "after close without commit" : "after rollback");
        return null;
      });
    }
  }

  @Test
  default void finishedTransactionsRejectFurtherUse() {
    commit(engine(), tx -> tx.set(k("k"), v("v")));
    for (String end : new String[] {"commit", "rollback", "close", "commit of a read-only transaction"}) {
      for (Map.Entry<String, Consumer<EngineTransaction>> use : usesOfATransaction().entrySet()) {
        EngineTransaction tx = engine().begin(end.endsWith("read-only transaction"));
        if (!tx.isReadOnly()) {
          tx.set(k("own"), v("own"));
        }
        switch (end) {
          case "rollback" -> tx.rollback();
          case "close" -> tx.close();
          default -> tx.commit();
        }
        assertThatThrownBy(() -> use.getValue().accept(tx), "%s after %s", use.getKey(), end)
            .isInstanceOf(ClosedException.class);
        assertThatCode(() -> {
          tx.rollback();
          tx.close();
          tx.rollback();
          tx.close();
        }).as("rollback and close after %s", end).doesNotThrowAnyException();
      }
    }
    read(engine(), tx -> {
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD))
          .containsExactly(new KeyValue(k("k"), v("v")), new KeyValue(k("own"), v("own")));
      return null;
    });
  }

  @Test
  default void aClosedEngineRejectsNewTransactions() {
    Engine e = engine();
    e.close();
    assertThatThrownBy(() -> e.begin(false), "begin(false) after close").isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> e.begin(true), "begin(true) after close").isInstanceOf(ClosedException.class);
    assertThatCode(e::close).as("second close").doesNotThrowAnyException();
    assertThatThrownBy(() -> e.begin(true), "begin after a second close").isInstanceOf(ClosedException.class);
  }

  /**
   * Reads and commit of a transaction open when its engine closes throw {@link ClosedException};
   * writes are checked by {@link #openTransactionsRejectWritesOnceTheEngineCloses}.
   */
  @Test
  default void openTransactionsFailOnTheirNextCallOnceTheEngineCloses() {
    assertUsesFailAfterEngineClose(this, List.of("get", "scan", "commit"));
  }

  /** Writes and reads of a transaction's own writes touch no storage, yet must fail too. */
  @Test
  default void openTransactionsRejectWritesOnceTheEngineCloses() {
    assertUsesFailAfterEngineClose(this, List.of("set", "clear", "clearRange", "get of a key it wrote"));
  }

  private static void assertUsesFailAfterEngineClose(EngineFixture f, List<String> names) {
    Engine e = f.engine();
    commit(e, tx -> tx.set(k("k"), v("v")));
    Map<String, Consumer<EngineTransaction>> uses = usesOfATransaction();
    Map<String, EngineTransaction> open = new LinkedHashMap<>();
    for (String use : names) {
      EngineTransaction tx = e.begin(false);
      assertValue(tx.get(k("k")), v("v"), "read before the engine closes");
      tx.set(k("own"), v("own"));
      open.put(use, tx);
    }
    e.close();
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, EngineTransaction> o : open.entrySet()) {
      EngineTransaction tx = o.getValue();
      Throwable failure = catchThrowable(() -> uses.get(o.getKey()).accept(tx));
      if (!(failure instanceof ClosedException)) {
        wrong.add(o.getKey() + (failure == null ? " succeeded" : " threw " + failure));
      }
      assertThatCode(() -> {
        tx.rollback();
        tx.close();
      }).as("rollback and close after the engine closed").doesNotThrowAnyException();
    }
    assertThat(wrong).as("calls on an open transaction after its engine closed that did not throw ClosedException")
        .isEmpty();
  }

  /** An open cursor whose engine closed must not pretend the range ended. */
  @Test
  default void openCursorsFailOnceTheEngineCloses() {
    Engine e = engine();
    commit(e, tx -> {
      for (int i = 0; i < 10; i++) {
        tx.set(Kit.key("c/", i), v("x"));
      }
    });
    EngineTransaction tx = e.begin(true);
    KeyValueCursor cursor = tx.scan(EMPTY, ALL_END, ScanOptions.FORWARD);
    cursor.next();
    e.close();
    Throwable failure = catchThrowable(() -> {
      while (cursor.hasNext()) {
        cursor.next();
      }
    });
    assertThat(failure).as("reading on after the engine closed").isInstanceOf(ClosedException.class);
    assertThatCode(() -> {
      cursor.close();
      tx.close();
    }).doesNotThrowAnyException();
  }

  @Test
  default void cursorsEndWithTheirTransaction() {
    commit(engine(), tx -> {
      tx.set(k("a"), v("1"));
      tx.set(k("b"), v("2"));
      tx.set(k("c"), v("3"));
    });
    for (String end : new String[] {"commit", "rollback"}) {
      EngineTransaction tx = engine().begin(false);
      KeyValueCursor cursor = tx.scan(EMPTY, ALL_END, ScanOptions.FORWARD);
      assertThat(cursor.next()).isEqualTo(new KeyValue(k("a"), v("1")));
      if (end.equals("commit")) {
        tx.commit();
      } else {
        tx.rollback();
      }
      Throwable failure = catchThrowable(() -> assertThat(cursor.hasNext()).as("hasNext after %s", end).isFalse());
      if (failure != null) {
        assertThat(failure).as("a cursor used after %s returns no rows or throws ClosedException", end)
            .isInstanceOf(ClosedException.class);
      }
      assertThatCode(() -> {
        cursor.close();
        cursor.close();
      }).doesNotThrowAnyException();
    }
  }

  /** Many transactions and cursors, some abandoned without closing their cursors: nothing leaks. */
  @Test
  default void finishedTransactionsReleaseTheirResources() {
    commit(engine(), tx -> {
      for (int i = 0; i < 20; i++) {
        tx.set(Kit.key("r/", i), v("x"));
      }
    });
    for (int i = 0; i < 300; i++) {
      EngineTransaction tx = engine().begin(i % 3 == 0);
      KeyValueCursor cursor = tx.scan(EMPTY, ALL_END, new ScanOptions(i % 2 == 0, 0));
      cursor.next();
      if (!tx.isReadOnly()) {
        tx.set(Kit.key("w/", i % 7), v("y"));
      }
      switch (i % 4) {
        case 0 -> tx.commit();
        case 1 -> tx.rollback();
        default -> tx.close();
      }
    }
    read(engine(), tx -> {
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).hasSize(27);
      return null;
    });
  }

  /** listen and notifyOnCommit are accepted by every engine (a no-op without CHANGE_NOTIFICATIONS). */
  @Test
  default void notificationCallsDoNotDisturbCommits() throws Exception {
    AutoCloseable subscription = engine().listen("tito_testkit", payload -> { });
    assertThat(subscription).as("listen() result").isNotNull();
    try (EngineTransaction tx = engine().begin(false)) {
      tx.notifyOnCommit("tito_testkit");
      tx.notifyOnCommit("tito_testkit", "3:topic");
      tx.set(k("k"), v("v"));
      tx.commit();
    }
    subscription.close();
    read(engine(), tx -> {
      assertValue(tx.get(k("k")), v("v"), "a commit that asked to notify");
      return null;
    });
  }
}
