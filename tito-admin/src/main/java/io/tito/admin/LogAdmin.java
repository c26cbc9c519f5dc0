package io.tito.admin;

import io.tito.InvalidArgumentException;
import io.tito.log.LogConsumer;
import io.tito.log.LogRecord;
import io.tito.log.LogStatus;
import io.tito.log.StartPosition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The operator's reads of a tito-log directory: its status (segments, offsets, consumers'
 * checkpoints and lag) and its records. Nothing is locked or written: a producer and consumers
 * may be running. Thread-safe.
 */
public final class LogAdmin {

  private LogAdmin() {}

  /** See {@link LogStatus#of(Path)}. @throws InvalidArgumentException if not a directory */
  public static LogStatus status(Path dir) {
    return LogStatus.of(dir);
  }

  /**
   * Up to {@code limit} records from offset {@code from} (raised to the oldest retained one).
   *
   * @throws InvalidArgumentException if not a directory, {@code from} is negative or beyond the
   *     end, or {@code limit} is not 1 to {@link TitoAdmin#MAX_LIMIT}
   */
  public static List<LogRecord> read(Path dir, long from, int limit) {
    LogStatus.of(dir);
    if (from < 0) {
      throw new InvalidArgumentException("offset must not be negative", Map.of("from", from));
    }
    checkLimit(limit);
    try (LogConsumer c = LogConsumer.atLeastOnce(dir, StartPosition.at(from))) {
      return c.poll(limit);
    }
  }

  /** The last {@code count} records (fewer if the log holds fewer). */
  public static List<LogRecord> tail(Path dir, int count) {
    checkLimit(count);
    LogStatus s = LogStatus.of(dir);
    return read(dir, Math.max(s.oldestOffset(), s.endOffset() - count), count);
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > TitoAdmin.MAX_LIMIT) {
      throw new InvalidArgumentException("limit must be 1 to " + TitoAdmin.MAX_LIMIT,
          Map.of("limit", limit));
    }
  }
}
