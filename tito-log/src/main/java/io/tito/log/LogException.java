package io.tito.log;

/**
 * A failure of the log: I/O, a corrupt file, a held lock, a full log. The message names the
 * directory, segment file and offset when they are known. Unchecked.
 */
public class LogException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public LogException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public LogException(String message, Throwable cause) {
    super(message, cause);
  }
}
