package io.tito;

import java.util.Map;

/**
 * How a range scan walks its range.
 *
 * @param reverse {@code false} (the default) walks in ascending key order, {@code true} descending
 * @param limit maximum number of rows to return; {@code 0} (the default) means no limit
 * @throws InvalidArgumentException from the constructor if {@code limit} is negative
 */
public record ScanOptions(boolean reverse, int limit) {

  /** Ascending order, no limit. */
  public static final ScanOptions FORWARD = new ScanOptions(false, 0);
  /** Descending order, no limit. */
  public static final ScanOptions REVERSE = new ScanOptions(true, 0);

  public ScanOptions {
    if (limit < 0) {
      throw new InvalidArgumentException("scan limit must not be negative", Map.of("setting", "limit", "value", limit));
    }
  }

  /** The same direction with the given limit ({@code 0} for none). */
  public ScanOptions withLimit(int newLimit) {
    return new ScanOptions(reverse, newLimit);
  }

  /** Whether a limit is set. */
  public boolean hasLimit() {
    return limit > 0;
  }
}
