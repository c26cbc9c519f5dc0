package io.tito;

import java.util.Map;

/**
 * A record, index or other named thing the caller required does not exist (for example updating a
 * record whose id is absent). Never retriable: re-running sees the same absence unless another
 * transaction creates it, which the caller must decide to wait for.
 *
 * <p>Not final: modules subclass it with typed details (the event store's expected-version,
 * idempotency and deleted-stream errors), so that callers catching this type catch those too.
 */
public non-sealed class NotFoundException extends TitoException {

  public NotFoundException(String message, Map<String, ?> context) {
    super(message, context, null);
  }

  @Override
  public boolean isRetriable() {
    return false;
  }
}
