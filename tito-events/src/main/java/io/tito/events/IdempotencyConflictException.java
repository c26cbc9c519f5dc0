package io.tito.events;

import io.tito.AlreadyExistsException;
import java.util.Map;

/**
 * An append reused an idempotency key, or explicit event ids, of an earlier append with different
 * content (another stream, other events, other types, payloads or headers). A retry with the same
 * content is not an error: it returns the original result. Not retriable.
 */
public final class IdempotencyConflictException extends AlreadyExistsException {

  public IdempotencyConflictException(String message, Map<String, ?> context) {
    super(message, context);
  }
}
