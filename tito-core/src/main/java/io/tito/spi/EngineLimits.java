package io.tito.spi;

import io.tito.InvalidArgumentException;
import java.util.Map;

/**
 * Sizes an engine accepts, checked by the transaction before anything is written.
 *
 * @param maxKeySize largest key in bytes
 * @param maxValueSize largest value in bytes
 * @param maxTransactionSize largest sum of written key and value bytes (and cleared range bounds)
 *     in one transaction
 */
public record EngineLimits(int maxKeySize, int maxValueSize, long maxTransactionSize) {

  /** 8 KiB keys, 1 MiB values, 10 MiB per transaction: the default of the embedded engines. */
  public static final EngineLimits DEFAULT = new EngineLimits(8 * 1024, 1024 * 1024, 10L * 1024 * 1024);

  /**
   * Validates the limits.
   *
   * @throws InvalidArgumentException naming the first setting that is not positive (context
   *     {@code setting} and {@code value})
   */
  public EngineLimits {
    requirePositive("maxKeySize", maxKeySize);
    requirePositive("maxValueSize", maxValueSize);
    requirePositive("maxTransactionSize", maxTransactionSize);
  }

  private static void requirePositive(String setting, long value) {
    if (value <= 0) {
      throw new InvalidArgumentException("engine limit " + setting + " must be positive",
          Map.of("setting", setting, "value", value));
    }
  }
}
