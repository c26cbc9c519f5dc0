package io.tito;

import java.util.Map;

/**
 * The transaction could not commit because another transaction committed a write to a key this
 * one wrote after this one's snapshot (first committer wins), or the engine detected a
 * serialization failure. Nothing of the transaction was applied. Always retriable.
 */
public final class ConflictException extends TitoException {

  public ConflictException(String message, Map<String, ?> context) {
    super(message, context, null);
  }

  public ConflictException(String message, Map<String, ?> context, Throwable cause) {
    super(message, context, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
