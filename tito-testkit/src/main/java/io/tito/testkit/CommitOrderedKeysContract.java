package io.tito.testkit;

import static io.tito.testkit.Kit.commit;
import static io.tito.testkit.Kit.k;
import static io.tito.testkit.Kit.pin;
import static io.tito.testkit.Kit.read;
import static io.tito.testkit.Kit.scan;
import static io.tito.testkit.Kit.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.ScanOptions;
import io.tito.Stamp;
import io.tito.spi.Capability;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Capability#COMMIT_ORDERED_KEYS}: stamped keys sort in the order in which readers see
 * commits, a reader never later finds a new stamped key below one it has seen (late committers
 * land above it), stamped writes never conflict, they are invisible to their own transaction's
 * reads, and a rollback leaves nothing. An engine without the capability must refuse them.
 */
public interface CommitOrderedKeysContract extends EngineFixture {

  /** Prefix of every stamped key of these tests. */
  byte[] STAMPED = k("\u0002stamped/");

  private void requireCapability() {
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.COMMIT_ORDERED_KEYS),
        "engine '" + engine().name() + "' does not declare COMMIT_ORDERED_KEYS");
  }

  private static List<KeyValue> stampedKeys(EngineTransaction tx) {
    byte[] end = Arrays.copyOf(STAMPED, STAMPED.length);
    end[end.length - 1]++;
    return scan(tx, STAMPED, end, ScanOptions.FORWARD);
  }

  private static Stamp stampOf(KeyValue kv) {
    assertThat(kv.key()).as("stamped key length").hasSize(STAMPED.length + Stamp.LENGTH);
    return Stamp.fromBytes(kv.key(), STAMPED.length);
  }

  private long commitStamped(String... values) {
    try (EngineTransaction tx = engine().begin(false)) {
      for (int i = 0; i < values.length; i++) {
        assertThat(tx.setStamped(STAMPED, v(values[i]))).as("order of stamped write %d", i).isEqualTo(i);
      }
      tx.commit();
      return tx.commitVersion();
    }
  }

  @Test
  default void engineWithoutTheCapabilityRefusesStampedWrites() {
    Assumptions.assumeFalse(engine().capabilities().contains(Capability.COMMIT_ORDERED_KEYS),
        "engine declares COMMIT_ORDERED_KEYS");
    try (EngineTransaction tx = engine().begin(false)) {
      assertThatThrownBy(() -> tx.setStamped(STAMPED, v("x"))).isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  default void stampsIncreaseInCommitOrderAndOrderWithinATransaction() {
    requireCapability();
    // The second transaction begins first: the commit, not the begin, orders the stamps.
    try (EngineTransaction early = engine().begin(false); EngineTransaction late = engine().begin(false)) {
      pin(early);
      pin(late);
      late.setStamped(STAMPED, v("first-commit-a"));
      late.setStamped(STAMPED, v("first-commit-b"));
      early.setStamped(STAMPED, v("second-commit"));
      late.commit();
      early.commit();
      assertThat(early.commitVersion()).isGreaterThan(late.commitVersion());
    }
    long third = commitStamped("third");
    List<KeyValue> rows = read(engine(), CommitOrderedKeysContract::stampedKeys);
    assertThat(rows).extracting(kv -> new String(kv.value(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .containsExactly("first-commit-a", "first-commit-b", "second-commit", "third");
    List<Stamp> stamps = rows.stream().map(CommitOrderedKeysContract::stampOf).toList();
    assertThat(stamps).isSorted().doesNotHaveDuplicates();
    assertThat(stamps.get(0).order()).isZero();
    assertThat(stamps.get(1)).isEqualTo(new Stamp(stamps.get(0).commitVersion(), 1));
    assertThat(stamps.get(3).commitVersion()).isEqualTo(third);
  }

  /**
   * A transaction holds a stamped write open while others commit theirs; a reader sees the
   * others. When the late one commits, the reader's next scan from the last stamp it saw finds
   * it: nothing lands below a stamp already seen.
   */
  @Test
  default void aLateCommitterLandsAboveEveryStampAlreadySeen() {
    requireCapability();
    try (EngineTransaction lateTx = engine().begin(false)) {
      pin(lateTx);
      lateTx.setStamped(STAMPED, v("late"));
      commitStamped("a");
      commitStamped("b");
      List<KeyValue> seen = read(engine(), CommitOrderedKeysContract::stampedKeys);
      assertThat(seen).hasSize(2);
      Stamp last = stampOf(seen.get(1));
      lateTx.commit();
      List<KeyValue> after = read(engine(), CommitOrderedKeysContract::stampedKeys);
      assertThat(after.subList(0, 2)).as("keys up to the last stamp seen are unchanged").isEqualTo(seen);
      assertThat(after).hasSize(3);
      assertThat(stampOf(after.get(2))).isGreaterThan(last);
      assertThat(stampOf(after.get(2)).commitVersion()).isEqualTo(lateTx.commitVersion());
    }
  }

  @Test
  default void concurrentStampedWritesOnDisjointKeysDoNotConflict() {
    requireCapability();
    List<EngineTransaction> txs = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        EngineTransaction tx = engine().begin(false);
        txs.add(tx);
        pin(tx);
        tx.setStamped(STAMPED, v("w" + i));
        tx.set(k("own-" + i), v("x"));
      }
      for (EngineTransaction tx : txs) {
        tx.commit();
      }
    } finally {
      txs.forEach(EngineTransaction::close);
    }
    assertThat(read(engine(), CommitOrderedKeysContract::stampedKeys)).hasSize(4);
  }

  @Test
  default void stampedKeysAreInvisibleToTheirOwnTransactionAndKnownAfterCommit() {
    requireCapability();
    try (EngineTransaction tx = engine().begin(false)) {
      tx.setStamped(STAMPED, v("mine"));
      assertThat(stampedKeys(tx)).as("own stamped write before commit").isEmpty();
      assertThatThrownBy(tx::commitVersion).isInstanceOf(InvalidArgumentException.class);
      Object sp = tx.savepoint();
      assertThat(tx.setStamped(STAMPED, v("undone"))).isEqualTo(1);
      tx.rollbackToSavepoint(sp);
      tx.commit();
      long version = tx.commitVersion();
      List<KeyValue> rows = read(engine(), CommitOrderedKeysContract::stampedKeys);
      assertThat(rows).hasSize(1);
      assertThat(stampOf(rows.get(0))).isEqualTo(new Stamp(version, 0));
    }
    try (EngineTransaction plain = engine().begin(false)) {
      plain.set(k("plain"), v("x"));
      plain.commit();
      assertThatThrownBy(plain::commitVersion).as("no stamped writes").isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  default void rollbackLeavesNothing() {
    requireCapability();
    try (EngineTransaction tx = engine().begin(false)) {
      tx.setStamped(STAMPED, v("gone"));
      tx.set(k("gone"), v("x"));
      tx.rollback();
    }
    read(engine(), tx -> {
      assertThat(stampedKeys(tx)).isEmpty();
      assertThat(tx.get(k("gone"))).isNull();
      return null;
    });
    long after = commitStamped("kept");
    assertThat(read(engine(), CommitOrderedKeysContract::stampedKeys)).singleElement()
        .satisfies(kv -> assertThat(stampOf(kv).commitVersion()).isEqualTo(after));
  }

  @Test
  default void readOnlyTransactionsRefuseStampedWrites() {
    requireCapability();
    try (EngineTransaction tx = engine().begin(true)) {
      assertThatThrownBy(() -> tx.setStamped(STAMPED, v("x"))).isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  default void theStampCountsTowardsTheKeySizeLimit() {
    requireCapability();
    int max = engine().limits().maxKeySize();
    try (EngineTransaction tx = engine().begin(false)) {
      assertThatThrownBy(() -> tx.setStamped(new byte[max - Stamp.LENGTH + 1], v("x")))
          .isInstanceOf(io.tito.LimitExceededException.class);
      tx.setStamped(new byte[max - Stamp.LENGTH], v("x"));
      tx.rollback();
    }
  }

  @Test
  default void stampsKeepIncreasingAfterReopening() {
    requireCapability();
    Assumptions.assumeTrue(engine().capabilities().contains(Capability.DURABLE), "not durable");
    long before = commitStamped("before");
    reopen();
    long after = commitStamped("after");
    assertThat(after).isGreaterThan(before);
    assertThat(read(engine(), CommitOrderedKeysContract::stampedKeys))
        .extracting(kv -> new String(kv.value(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .containsExactly("before", "after");
  }
}
