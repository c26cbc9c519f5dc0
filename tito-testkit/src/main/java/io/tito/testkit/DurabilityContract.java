package io.tito.testkit;

import static io.tito.testkit.Kit.ALL_END;
import static io.tito.testkit.Kit.EMPTY;
import static io.tito.testkit.Kit.assertContents;
import static io.tito.testkit.Kit.assertValue;
import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ClosedException;
import io.tito.ConflictException;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Committed data survives closing and reopening the engine, exactly; what was not committed does
 * not. Every test is skipped (with the reason) when the test subclass cannot reopen its engine.
 */
public interface DurabilityContract extends EngineFixture {

  /** An engine that declares {@link Capability#DURABLE} must let the kit reopen it. */
  @Test
  default void durableEnginesCanBeReopened() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.DURABLE),
        "engine does not declare DURABLE");
    commit(engine(), tx -> tx.set(k("k"), v("v")));
    Engine closed = engine();
    try {
      reopen();
    } catch (org.opentest4j.TestAbortedException e) {
      throw new AssertionError("engine '" + closed.name() + "' declares DURABLE but its conformance test "
          + "does not override reopenEngine, so its durability is not tested");
    }
    read(engine(), tx -> {
      assertValue(tx.get(k("k")), v("v"), "after reopen");
      return null;
    });
  }

  @Test
  default void pointsRangesAndClearsSurviveReopen() {
    ReferenceModel model = Kit.trickyModel();
    Kit.commitModel(engine(), model);
    commit(engine(), tx -> {
      tx.set(k("a"), v("overwritten"));
      tx.set(k("empty"), EMPTY);
      tx.clear(k("b"));
      tx.clearRange(k("a\0"), k("a\u0001"));
      tx.clearRange(k("\u00ff\u00ff"), ALL_END);
    });
    model.set(k("a"), v("overwritten"));
    model.set(k("empty"), EMPTY);
    model.clear(k("b"));
    model.clearRange(k("a\0"), k("a\u0001"));
    model.clearRange(k("\u00ff\u00ff"), ALL_END);
    reopen();
    read(engine(), tx -> {
      Kit.assertScanMatrix(tx, model, Kit.trickyBounds(), "after reopen");
      assertValue(tx.get(k("empty")), EMPTY, "empty value after reopen");
      assertValue(tx.get(k("b")), null, "cleared key after reopen");
      return null;
    });
  }

  @Test
  default void manyKeysAndALargeValueSurviveReopen() {
    ReferenceModel model = new ReferenceModel();
    for (int batch = 0; batch < 4; batch++) {
      ReferenceModel rows = new ReferenceModel();
      for (int i = 0; i < 500; i++) {
        int n = batch * 500 + i;
        rows.set(Kit.key("many/", n), Kit.pattern(n % 50, n));
        model.set(Kit.key("many/", n), Kit.pattern(n % 50, n));
      }
      Kit.commitModel(engine(), rows);
    }
    int largeSize = (int) Math.min(engine().limits().maxValueSize(),
        Math.min(4L * 1024 * 1024, engine().limits().maxTransactionSize() - 64));
    byte[] large = Kit.pattern(largeSize, 99);
    commit(engine(), tx -> tx.set(k("large"), large));
    model.set(k("large"), large);
    commit(engine(), tx -> tx.clearRange(Kit.key("many/", 100), Kit.key("many/", 200)));
    model.clearRange(Kit.key("many/", 100), Kit.key("many/", 200));
    reopen();
    read(engine(), tx -> {
      assertContents(tx, model, "after reopen");
      return null;
    });
    reopen();
    read(engine(), tx -> {
      assertValue(tx.get(k("large")), large, "large value after a second reopen");
      assertThat(Kit.scan(tx, k("many/"), k("many0"), false, 0)).hasSize(1900);
      return null;
    });
  }

  @Test
  default void uncommittedWritesDoNotSurviveReopen() {
    commit(engine(), tx -> {
      tx.set(k("k"), v("committed"));
      tx.set(k("r/1"), v("r1"));
    });
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(k("k"), v("rolled back"));
      tx.set(k("rolled-back-key"), v("x"));
      tx.clearRange(k("r/"), k("r0"));
      tx.rollback();
    }
    try (EngineTransaction loser = engine().begin(false)) {
      Kit.pin(loser);
      loser.set(k("conflict-loser-key"), v("x"));
      loser.set(k("k"), v("loser"));
      commit(engine(), tx -> tx.set(k("k"), v("winner")));
      assertThatThrownBy(loser::commit).isInstanceOf(ConflictException.class);
    }
    EngineTransaction pending = engine().begin(false);
    pending.set(k("open-when-closed"), v("x"));
    pending.clear(k("k"));
    Engine closing = engine();
    reopen();
    assertThat(closing).isNotSameAs(engine());
    assertThatThrownBy(pending::commit, "commit of a transaction whose engine was closed")
        .isInstanceOf(ClosedException.class);
    pending.close();
    ReferenceModel expected = new ReferenceModel();
    expected.set(k("k"), v("winner"));
    expected.set(k("r/1"), v("r1"));
    read(engine(), tx -> {
      assertContents(tx, expected, "after reopen");
      return null;
    });
  }

  /** Versions and conflict detection keep working across a reopen. */
  @Test
  default void transactionsWorkAfterReopen() {
    commit(engine(), tx -> tx.set(k("counter"), Kit.encodeLong(5)));
    reopen();
    try (EngineTransaction t1 = engine().begin(false); EngineTransaction t2 = engine().begin(false)) {
      long c1 = Kit.decodeLong(t1.get(k("counter")));
      long c2 = Kit.decodeLong(t2.get(k("counter")));
      assertThat(c1).isEqualTo(5);
      t1.set(k("counter"), Kit.encodeLong(c1 + 1));
      t2.set(k("counter"), Kit.encodeLong(c2 + 1));
      t1.commit();
      assertThatThrownBy(t2::commit, "lost update after reopen").isInstanceOf(ConflictException.class);
    }
    try (EngineTransaction reader = engine().begin(true)) {
      Kit.pin(reader);
      commit(engine(), tx -> tx.set(k("counter"), Kit.encodeLong(7)));
      assertThat(Kit.decodeLong(reader.get(k("counter")))).as("snapshot after reopen").isEqualTo(6);
    }
    reopen();
    read(engine(), tx -> {
      assertThat(Kit.decodeLong(tx.get(k("counter")))).isEqualTo(7);
      return null;
    });
  }
}
