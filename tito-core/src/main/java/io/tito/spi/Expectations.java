package io.tito.spi;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Judges {@linkplain io.tito.Transaction#expect expectations}: a value read against the value a
 * transaction required. Engines that check expectations inside their commit report a mismatch
 * with {@link #mismatch}, so that every engine fails the same way.
 */
public final class Expectations {

  private Expectations() {}

  /**
   * Throws the mismatch unless {@code actual} equals {@code expected} ({@code null}: absent).
   *
   * @throws InvalidArgumentException if {@code key} is null
   * @throws ConflictException if they differ
   */
  public static void compare(byte[] key, byte[] actual, byte[] expected) {
    if (key == null) {
      throw new InvalidArgumentException("key must not be null", Map.of());
    }
    if (!Arrays.equals(actual, expected)) {
      throw mismatch(key);
    }
  }

  /** Compares each expectation with the value read for it, in order. */
  public static void compareAll(List<WriteSet.Expectation> expected, List<byte[]> actual) {
    for (int i = 0; i < expected.size(); i++) {
      WriteSet.Expectation e = expected.get(i);
      compare(e.key(), actual.get(i), e.value());
    }
  }

  /** The conflict of a transaction whose expected value at {@code key} was not there. */
  public static ConflictException mismatch(byte[] key) {
    return new ConflictException("the value at a key differs from the one the transaction expected",
        Map.of("key", ByteArrays.printable(key), "reason", "expectation")).retryingNow();
  }
}
