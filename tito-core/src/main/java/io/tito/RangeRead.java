package io.tito;

import java.util.Map;

/**
 * One bounded range read of {@link Transaction#scanAll}: the rows of {@code range} in the
 * direction of {@code options}, at most {@code options.limit()} of them. Immutable and
 * thread-safe ({@link KeyRange} copies its bounds).
 *
 * @param range the keys to read, {@code [begin, end)}
 * @param options direction and limit; the limit must be set (1 to {@value #MAX_LIMIT})
 * @throws InvalidArgumentException from the constructor if an argument is null or the limit is
 *     not within 1 to {@value #MAX_LIMIT}
 */
public record RangeRead(KeyRange range, ScanOptions options) {

  /** The largest limit of one read: a {@code scanAll} holds every row it returns in memory. */
  public static final int MAX_LIMIT = 10_000;
  /** The most reads one {@link Transaction#scanAll} takes. */
  public static final int MAX_READS = 64;

  public RangeRead {
    if (range == null || options == null) {
      throw new InvalidArgumentException("a range read needs a range and scan options",
          Map.of("range", String.valueOf(range), "options", String.valueOf(options)));
    }
    if (options.limit() < 1 || options.limit() > MAX_LIMIT) {
      throw new InvalidArgumentException("a range read's limit must be 1 to " + MAX_LIMIT,
          Map.of("setting", "limit", "value", options.limit()));
    }
  }

  /** The first {@code limit} keys of {@code range} in ascending order. */
  public static RangeRead forward(KeyRange range, int limit) {
    return new RangeRead(range, ScanOptions.FORWARD.withLimit(Math.max(0, limit)));
  }

  /** The key {@code key} alone, as a read of at most one row: its value, if present. */
  public static RangeRead point(byte[] key) {
    if (key == null) {
      throw new InvalidArgumentException("key must not be null", Map.of());
    }
    return forward(new KeyRange(key, ByteArrays.keyAfter(key)), 1);
  }

  /**
   * Checks an argument of {@link Transaction#scanAll}: not null, no null read, at most {@value
   * #MAX_READS} reads.
   *
   * @throws InvalidArgumentException if it is not valid
   */
  public static void checkAll(java.util.List<RangeRead> reads) {
    if (reads == null) {
      throw new InvalidArgumentException("reads must not be null", Map.of());
    }
    if (reads.size() > MAX_READS) {
      throw new InvalidArgumentException("too many range reads in one call",
          Map.of("reads", reads.size(), "limit", MAX_READS));
    }
    for (RangeRead r : reads) {
      if (r == null) {
        throw new InvalidArgumentException("a range read must not be null", Map.of());
      }
    }
  }
}
