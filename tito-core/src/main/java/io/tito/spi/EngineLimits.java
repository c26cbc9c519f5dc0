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

  public EngineLimits {
    if (maxKeySize <= 0 || maxValueSize <= 0 || maxTransactionSize <= 0) {
      String setting = maxKeySize <= 0 ? "maxKeySize" : maxValueSize <= 0 ? "maxValueSize"
          : "maxTransactionSize";
      throw new InvalidArgumentException("engine limits must be positive",
          Map.of("setting", setting, "maxKeySize", maxKeySize, "maxValueSize", maxValueSize,
              "maxTransactionSize", maxTransactionSize));
    }
  }
}
