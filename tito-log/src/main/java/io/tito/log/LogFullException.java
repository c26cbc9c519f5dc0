package io.tito.log;

/**
 * An append that would exceed {@link ProducerOptions#maxTotalBytes()} while the oldest segment
 * still holds records an exactly-once consumer has not committed, with {@link
 * MinimumRetention#FAIL} (or {@link MinimumRetention#BLOCK} past its timeout). Nothing was written.
 */
public final class LogFullException extends LogException {

  private static final long serialVersionUID = 1L;

  /** The log is full for the reason in {@code message}. */
  public LogFullException(String message) {
    super(message);
  }
}
