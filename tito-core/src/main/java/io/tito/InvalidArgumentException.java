package io.tito;

import java.util.Map;

/** A caller passed an argument that can never be valid (malformed bytes, bad ranges, bad settings). */
public final class InvalidArgumentException extends TitoException {

  public InvalidArgumentException(String message, Map<String, ?> context) {
    super(message, context, null);
  }

  public InvalidArgumentException(String message, Map<String, ?> context, Throwable cause) {
    super(message, context, cause);
  }

  /** Never retriable: the same input fails the same way. */
  @Override
  public boolean isRetriable() {
    return false;
  }
}
