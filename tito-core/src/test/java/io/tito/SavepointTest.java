package io.tito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.memory.MemoryEngine;
import io.tito.spi.WriteSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Savepoints of the write buffer and {@link Transaction#savepoint}. */
class SavepointTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void rollingBackRestoresPointsRangesAndSizeExactly() {
    WriteSet w = new WriteSet();
    w.put(b("a"), b("1"));
    w.put(b("c"), null);
    w.clearRange(b("x"), b("y"));
    long bytes = w.bytes();
    WriteSet.Savepoint outer = w.savepoint();
    w.put(b("a"), b("2"));
    w.put(b("b"), b("3"));
    WriteSet.Savepoint inner = w.savepoint();
    w.clearRange(b("a"), b("z"));
    w.put(b("q"), b("4"));
    w.rollbackTo(inner);
    assertThat(w.lookup(b("a")).value()).isEqualTo(b("2"));
    assertThat(w.lookup(b("q")).known()).isFalse();
    assertThat(w.clearedRanges()).hasSize(1);
    w.rollbackTo(outer);
    assertThat(w.lookup(b("a")).value()).isEqualTo(b("1"));
    assertThat(w.lookup(b("b")).known()).isFalse();
    assertThat(w.lookup(b("c")).absent()).isTrue();
    assertThat(w.isCleared(b("x"))).isTrue();
    assertThat(w.bytes()).isEqualTo(bytes);
  }

  @Test
  void rollingBackASavepointOpenedOnAnEmptySetEmptiesItAlsoPastANestedOne() {
    WriteSet w = new WriteSet();
    WriteSet.Savepoint outer = w.savepoint();
    w.put(b("a"), b("1"));
    WriteSet.Savepoint inner = w.savepoint();
    w.put(b("a"), b("2"));
    w.clearRange(b("b"), b("c"));
    w.rollbackTo(inner);
    assertThat(w.lookup(b("a")).value()).isEqualTo(b("1"));
    assertThat(w.isCleared(b("b"))).isFalse();
    w.put(b("d"), null);
    w.rollbackTo(outer);
    assertThat(w.isEmpty()).isTrue();
    assertThat(w.bytes()).isZero();
    // The set is usable afterwards, and a new savepoint on it records undo steps again.
    w.put(b("e"), b("1"));
    WriteSet.Savepoint next = w.savepoint();
    w.put(b("e"), b("2"));
    w.rollbackTo(next);
    assertThat(w.lookup(b("e")).value()).isEqualTo(b("1"));
  }

  @Test
  void rollingBackRestoresAPointClearTheSavepointReplaced() {
    WriteSet w = new WriteSet();
    w.put(b("a"), null);
    WriteSet.Savepoint sp = w.savepoint();
    w.put(b("a"), b("1"));
    w.put(b("b"), null);
    w.rollbackTo(sp);
    assertThat(w.lookup(b("a")).absent()).isTrue();
    assertThat(w.lookup(b("b")).known()).isFalse();
  }

  @Test
  void aFailedStepLeavesTheTransactionAsBeforeAndItCommits() {
    try (Tito tito = Tito.open(new MemoryEngine())) {
      List<String> ran = new ArrayList<>();
      tito.inTransaction(tx -> {
        tx.set(b("kept"), b("1"));
        assertThatThrownBy(() -> tx.savepoint(() -> {
          tx.set(b("kept"), b("2"));
          tx.set(b("dropped"), b("1"));
          tx.afterCommit(() -> ran.add("dropped"));
          throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(tx.get(b("dropped"))).isNull();
        assertThat(tx.savepoint(() -> {
          tx.set(b("also"), b("1"));
          tx.afterCommit(() -> ran.add("also"));
          return 7;
        })).isEqualTo(7);
      });
      byte[] kept = tito.read(tx -> tx.get(b("kept")));
      byte[] dropped = tito.read(tx -> tx.get(b("dropped")));
      byte[] also = tito.read(tx -> tx.get(b("also")));
      assertThat(kept).isEqualTo(b("1"));
      assertThat(dropped).isNull();
      assertThat(also).isEqualTo(b("1"));
      assertThat(ran).containsExactly("also");
    }
  }
}
