package io.tito.log;

/**
 * What the producer does when retention by bytes would delete a segment holding records that an
 * exactly-once consumer (any checkpoint file in the log directory) has not committed yet.
 */
public enum MinimumRetention {
  /** Delete anyway: an exactly-once consumer behind the oldest record then fails when it reads. */
  NONE,
  /** Block the appending thread until the consumers commit past the segment (or the timeout). */
  BLOCK,
  /** Fail the append with {@link LogFullException}; nothing is written. */
  FAIL
}
