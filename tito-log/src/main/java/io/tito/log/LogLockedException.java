package io.tito.log;

import java.nio.file.Path;

/**
 * Another producer, or another consumer with the same id, already holds the log directory's lock
 * file, in this process or another one. Only one producer per directory, and one consumer per
 * exactly-once id, may be open at a time.
 */
public final class LogLockedException extends LogException {

  private static final long serialVersionUID = 1L;

  /** The lock file {@code lockFile} is held by {@code holder} (a description such as "another producer"). */
  public LogLockedException(Path lockFile, String holder) {
    super("log lock " + lockFile + " is held by " + holder
        + " (in this or another process); close it first");
  }
}
