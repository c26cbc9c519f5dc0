package io.tito.testkit;

import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.key;
import static io.tito.testkit.Kit.show;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ClosedException;
import io.tito.InvalidArgumentException;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Multi-key reads ({@link EngineTransaction#getAll}): the answer for every key is exactly what
 * {@code get} answers for it, in the order asked, for committed data, this transaction's own sets,
 * clears and cleared ranges, repeated and absent keys, and batches larger than any engine's
 * internal chunk.
 */
public interface MultiGetContract extends EngineFixture {

  /** Asserts that {@code getAll(keys)} equals one {@code get} per key, in order. */
  private static void assertLikeGets(EngineTransaction tx, List<byte[]> keys, String what) {
    List<byte[]> expected = new ArrayList<>();
    for (byte[] key : keys) {
      expected.add(tx.get(key));
    }
    List<byte[]> actual = tx.getAll(keys);
    assertThat(actual).as("%s: one answer per key", what).hasSize(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      assertThat(actual.get(i)).as("%s: key %d (%s)", what, i, show(keys.get(i)))
          .isEqualTo(expected.get(i));
    }
  }

  @Test
  default void getAllAnswersEachKeyInTheOrderAsked() {
    commit(engine(), tx -> {
      tx.set(k("a"), v("1"));
      tx.set(k("b"), v("2"));
      tx.set(k("c"), v(""));
      tx.set(k("d"), v("4"));
    });
    commit(engine(), tx -> tx.clear(k("d")));
    try (EngineTransaction tx = engine().begin(true)) {
      List<byte[]> keys = List.of(k("d"), k("b"), k("zz"), k("a"), k("b"), k("c"), k(""));
      List<byte[]> got = tx.getAll(keys);
      assertThat(got).hasSize(7);
      assertThat(got.get(0)).as("cleared key").isNull();
      assertThat(got.get(1)).as("b, asked before a").isEqualTo(v("2"));
      assertThat(got.get(2)).as("absent key").isNull();
      assertThat(got.get(3)).isEqualTo(v("1"));
      assertThat(got.get(4)).as("b asked again").isEqualTo(v("2"));
      assertThat(got.get(5)).as("empty value is present").isEqualTo(v(""));
      assertThat(got.get(6)).as("empty key, absent").isNull();
      assertThat(tx.getAll(List.of())).as("no keys").isEmpty();
    }
  }

  @Test
  default void getAllSeesThisTransactionsSetsClearsAndClearedRanges() {
    commit(engine(), tx -> {
      for (int i = 0; i < 20; i++) {
        tx.set(key("k", i), v("old" + i));
      }
    });
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(key("k", 3), v("new3"));
      tx.set(key("n", 1), v("fresh"));
      tx.clear(key("k", 4));
      tx.clearRange(key("k", 10), key("k", 15));
      tx.set(key("k", 12), v("back"));
      List<byte[]> keys = new ArrayList<>();
      for (int i = 0; i < 22; i++) {
        keys.add(key("k", i));
      }
      keys.add(key("n", 1));
      List<byte[]> got = tx.getAll(keys);
      assertThat(got.get(3)).isEqualTo(v("new3"));
      assertThat(got.get(4)).as("cleared in this transaction").isNull();
      assertThat(got.get(5)).isEqualTo(v("old5"));
      assertThat(got.get(11)).as("inside a range cleared in this transaction").isNull();
      assertThat(got.get(12)).as("set after the range clear").isEqualTo(v("back"));
      assertThat(got.get(15)).as("the range end is exclusive").isEqualTo(v("old15"));
      assertThat(got.get(21)).as("never written").isNull();
      assertThat(got.get(22)).isEqualTo(v("fresh"));
      assertLikeGets(tx, keys, "own writes");
    }
  }

  @Test
  default void getAllReadsTheTransactionsSnapshot() {
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
      List<byte[]> got = reader.getAll(List.of(k("x"), k("y"), k("z")));
      assertThat(got.get(0)).as("x as of the snapshot").isEqualTo(v("1"));
      assertThat(got.get(1)).as("y cleared after the snapshot").isEqualTo(v("1"));
      assertThat(got.get(2)).as("z written after the snapshot").isNull();
    }
  }

  @Test
  default void largeRandomBatchesMatchOneGetPerKey() {
    Random random = new Random(42);
    commit(engine(), tx -> {
      for (int i = 0; i < 600; i += 2) {
        tx.set(key("r", i), v("value-" + i));
      }
    });
    try (EngineTransaction tx = engine().begin(false)) {
      for (int i = 0; i < 600; i += 7) {
        tx.set(key("r", i), v("mine-" + i));
      }
      tx.clearRange(key("r", 300), key("r", 330));
      List<byte[]> keys = new ArrayList<>();
      for (int i = 0; i < 450; i++) {
        keys.add(key("r", random.nextInt(620)));
      }
      assertLikeGets(tx, keys, "450 random keys, some repeated");
    }
  }

  @Test
  default void getAllReturnsTheCallersArrays() {
    commit(engine(), tx -> tx.set(k("a"), v("abc")));
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(k("b"), v("def"));
      List<byte[]> first = tx.getAll(List.of(k("a"), k("b"), k("a")));
      assertThat(first.get(0)).as("a repeated key gets its own array").isNotSameAs(first.get(2));
      for (byte[] b : first) {
        Arrays.fill(b, (byte) 'x');
      }
      assertThat(tx.getAll(List.of(k("a"), k("b")))).containsExactly(v("abc"), v("def"));
    }
  }

  @Test
  default void getAllRejectsNullsAndFinishedTransactions() {
    EngineTransaction tx = engine().begin(true);
    assertThatThrownBy(() -> tx.getAll(null)).isInstanceOf(InvalidArgumentException.class);
    List<byte[]> withNull = new ArrayList<>();
    withNull.add(k("a"));
    withNull.add(null);
    assertThatThrownBy(() -> tx.getAll(withNull)).isInstanceOf(InvalidArgumentException.class);
    tx.rollback();
    assertThatThrownBy(() -> tx.getAll(List.of(k("a")))).isInstanceOf(ClosedException.class);
    tx.close();
  }
}
