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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.LimitExceededException;
import io.tito.ScanOptions;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Sizes at and one byte over {@link io.tito.spi.Engine#limits()}, and invalid arguments: the
 * failing call throws before writing anything, and the transaction stays usable.
 */
public interface LimitsContract extends EngineFixture {

  /** Limits above this are not filled in tests (memory); those tests are skipped. */
  long LARGEST_TESTED_SIZE = 64L * 1024 * 1024;

  private static byte[] largeKey(int size, int seed) {
    byte[] key = Kit.pattern(size, seed);
    if (size > 0) {
      key[0] = 'L';
    }
    return key;
  }

  @Test
  default void keysUpToTheLimitAreAcceptedAndOneByteMoreIsNot() {
    int max = engine().limits().maxKeySize();
    Assumptions.assumeTrue(max <= LARGEST_TESTED_SIZE, "maxKeySize too large to test: " + max);
    byte[] atLimit = largeKey(max, 1);
    byte[] over = largeKey(max + 1, 1);
    commit(engine(), tx -> tx.set(k("before"), v("b")));
    try (EngineTransaction tx = engine().begin(false)) {
      tx.set(atLimit, v("at limit"));
      assertThatThrownBy(() -> tx.set(over, v("over")), "set with a key of maxKeySize + 1")
          .isInstanceOf(LimitExceededException.class);
      assertThatThrownBy(() -> tx.clear(over), "clear with a key of maxKeySize + 1")
          .isInstanceOf(LimitExceededException.class);
      assertThatThrownBy(() -> tx.clearRange(EMPTY, over), "clearRange with an end of maxKeySize + 1")
          .isInstanceOf(LimitExceededException.class);
      assertThatThrownBy(() -> tx.clearRange(over, ALL_END), "clearRange with a begin of maxKeySize + 1")
          .isInstanceOf(LimitExceededException.class);
      assertValue(tx.get(over), null, "the rejected key");
      assertValue(tx.get(k("before")), v("b"), "a key the rejected clearRange covered");
      tx.set(k("after"), v("a"));
      tx.commit();
    }
    read(engine(), tx -> {
      assertValue(tx.get(atLimit), v("at limit"), "key of exactly maxKeySize");
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).containsExactly(
          new KeyValue(atLimit, v("at limit")), new KeyValue(k("after"), v("a")), new KeyValue(k("before"), v("b")));
      assertThat(scan(tx, k("L"), k("M"), ScanOptions.REVERSE)).containsExactly(new KeyValue(atLimit, v("at limit")));
      return null;
    });
    commit(engine(), tx -> tx.clearRange(atLimit, k("M")));
    read(engine(), tx -> {
      assertValue(tx.get(atLimit), null, "key of maxKeySize after a range clear");
      return null;
    });
  }

  @Test
  default void valuesUpToTheLimitAreAcceptedAndOneByteMoreIsNot() {
    EngineLimits limits = engine().limits();
    int max = limits.maxValueSize();
    Assumptions.assumeTrue(max <= LARGEST_TESTED_SIZE, "maxValueSize too large to test: " + max);
    Assumptions.assumeTrue(limits.maxTransactionSize() >= max + 16L,
        "maxTransactionSize is smaller than a value of maxValueSize");
    byte[] atLimit = Kit.pattern(max, 2);
    byte[] over = Kit.pattern(max + 1, 3);
    commit(engine(), tx -> tx.set(k("old"), v("old value")));
    try (EngineTransaction tx = engine().begin(false)) {
      assertThatThrownBy(() -> tx.set(k("old"), over), "overwrite with a value of maxValueSize + 1")
          .isInstanceOf(LimitExceededException.class);
      assertThatThrownBy(() -> tx.set(k("new"), over), "set of a value of maxValueSize + 1")
          .isInstanceOf(LimitExceededException.class);
      assertValue(tx.get(k("old")), v("old value"), "key whose overwrite was rejected");
      assertValue(tx.get(k("new")), null, "key whose set was rejected");
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).containsExactly(new KeyValue(k("old"), v("old value")));
      tx.set(k("big"), atLimit);
      assertValue(tx.get(k("big")), atLimit, "pending value of maxValueSize");
      tx.commit();
    }
    read(engine(), tx -> {
      assertValue(tx.get(k("big")), atLimit, "committed value of maxValueSize");
      assertValue(tx.get(k("old")), v("old value"), "key whose overwrite was rejected");
      assertValue(tx.get(k("new")), null, "key whose set was rejected");
      List<KeyValue> rows = scan(tx, EMPTY, ALL_END, ScanOptions.REVERSE);
      assertThat(rows).hasSize(2);
      assertThat(rows.get(1)).isEqualTo(new KeyValue(k("big"), atLimit));
      return null;
    });
  }

  /**
   * Distinct keys whose key and value bytes add up to exactly maxTransactionSize are accepted and
   * commit; one more byte is rejected and leaves the transaction usable.
   */
  @Test
  default void transactionsUpToTheSizeLimitAreAcceptedAndOneByteMoreIsNot() {
    EngineLimits limits = engine().limits();
    long max = limits.maxTransactionSize();
    Assumptions.assumeTrue(max <= LARGEST_TESTED_SIZE, "maxTransactionSize too large to test: " + max);
    Assumptions.assumeTrue(limits.maxKeySize() >= 8, "maxKeySize below 8 bytes");
    ReferenceModel model = new ReferenceModel();
    long remaining = max;
    int i = 0;
    while (remaining > 0) {
      int keySize = (int) Math.min(8, remaining);
      byte[] key = keySize == 8 ? Kit.key("tx/\0", i) : Kit.filled(keySize, 0xFE);
      int valueSize = (int) Math.min(limits.maxValueSize(), remaining - keySize);
      model.set(key, Kit.pattern(valueSize, i));
      remaining -= keySize + valueSize;
      i++;
    }
    try (EngineTransaction tx = engine().begin(false)) {
      model.writeTo(tx);
      assertThatThrownBy(() -> tx.set(k("x"), EMPTY), "one more byte than maxTransactionSize")
          .isInstanceOf(LimitExceededException.class);
      assertThatThrownBy(() -> tx.set(k("y"), v("yy")), "three more bytes than maxTransactionSize")
          .isInstanceOf(LimitExceededException.class);
      assertValue(tx.get(k("x")), null, "the rejected write");
      byte[] first = model.view().firstKey();
      assertValue(tx.get(first), model.get(first), "an accepted write after the rejected one");
      tx.commit();
    }
    read(engine(), tx -> {
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).as("a transaction of exactly maxTransactionSize")
          .containsExactlyElementsOf(model.rows());
      return null;
    });
  }

  @Test
  default void accumulatedWritesOverTheTransactionSizeAreRejected() {
    EngineLimits limits = engine().limits();
    long max = limits.maxTransactionSize();
    Assumptions.assumeTrue(max <= LARGEST_TESTED_SIZE, "maxTransactionSize too large to test: " + max);
    int valueSize = (int) Math.min(limits.maxValueSize(), Math.max(1, max / 4));
    byte[] value = Kit.pattern(valueSize, 4);
    List<byte[]> accepted = new ArrayList<>();
    try (EngineTransaction tx = engine().begin(false)) {
      LimitExceededException failure = null;
      for (int i = 0; failure == null; i++) {
        byte[] key = Kit.key("acc/", i);
        try {
          tx.set(key, value);
          accepted.add(key);
        } catch (LimitExceededException e) {
          failure = e;
          assertThat((long) (accepted.size() + 1) * (key.length + valueSize)).as("bytes when the limit was hit")
              .isGreaterThan(max);
          assertValue(tx.get(key), null, "the write that went over the limit");
        }
        assertThat((long) accepted.size() * (key.length + valueSize)).as("bytes accepted").isLessThanOrEqualTo(max);
      }
      assertThat(accepted).as("writes accepted before the limit").isNotEmpty();
      tx.clear(accepted.get(0));
      assertValue(tx.get(accepted.get(0)), null, "the transaction is usable after the rejected write");
      tx.rollback();
    }
    read(engine(), tx -> {
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).isEmpty();
      return null;
    });
  }

  @Test
  default void nullKeysAndValuesAreRejected() {
    commit(engine(), tx -> tx.set(k("k"), v("v")));
    try (EngineTransaction tx = engine().begin(false)) {
      assertThatThrownBy(() -> tx.get(null), "get(null)").isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.set(null, v("v")), "set(null, v)").isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.set(k("k"), null), "set(k, null)").isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.clear(null), "clear(null)").isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.clearRange(null, k("z")), "clearRange(null, z)")
          .isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.clearRange(EMPTY, null), "clearRange(empty, null)")
          .isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.scan(null, k("z"), ScanOptions.FORWARD).close(), "scan(null, z)")
          .isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.scan(EMPTY, null, ScanOptions.REVERSE).close(), "scan(empty, null)")
          .isInstanceOf(InvalidArgumentException.class);
      assertValue(tx.get(k("k")), v("v"), "the key after the rejected set(k, null)");
      tx.set(k("k2"), v("v2"));
      tx.commit();
    }
    read(engine(), tx -> {
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD))
          .containsExactly(new KeyValue(k("k"), v("v")), new KeyValue(k("k2"), v("v2")));
      return null;
    });
  }

  @Test
  default void clearRangeWithBeginAfterEndIsRejected() {
    commit(engine(), tx -> {
      tx.set(k("a"), v("1"));
      tx.set(k("b"), v("2"));
    });
    try (EngineTransaction tx = engine().begin(false)) {
      assertThatThrownBy(() -> tx.clearRange(k("b"), k("a"))).isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> tx.clearRange(k("a\0"), k("a"))).isInstanceOf(InvalidArgumentException.class);
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).hasSize(2);
      tx.commit();
    }
    read(engine(), tx -> {
      assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD)).hasSize(2);
      return null;
    });
  }
}
