package io.tito.backup;

import io.tito.InvalidArgumentException;
import java.time.Instant;
import java.util.Map;

/**
 * The state a restore reproduces: the latest state the backups reach, the state right after a
 * commit version, or the state at a point in time (every commit whose time is at or before it,
 * up to the first one after it).
 */
public sealed interface RestorePoint {

  /** The latest state the backups of the set reach. */
  static RestorePoint latest() {
    return Latest.INSTANCE;
  }

  /**
   * The state right after commit {@code version} (or the latest state before it, if that version
   * wrote nothing kept).
   *
   * @throws InvalidArgumentException if {@code version} is negative
   */
  static RestorePoint atVersion(long version) {
    if (version < 0) {
      throw new InvalidArgumentException("restore version must not be negative", Map.of("version", version));
    }
    return new AtVersion(version);
  }

  /** The state at {@code time}. */
  static RestorePoint atTime(Instant time) {
    if (time == null) {
      throw new InvalidArgumentException("restore time must not be null", Map.of("setting", "time"));
    }
    return new AtTime(time);
  }

  /** See {@link #latest()}. */
  enum Latest implements RestorePoint {
    INSTANCE
  }

  /** See {@link #atVersion}. */
  record AtVersion(long version) implements RestorePoint {}

  /** See {@link #atTime}. */
  record AtTime(Instant time) implements RestorePoint {}
}
