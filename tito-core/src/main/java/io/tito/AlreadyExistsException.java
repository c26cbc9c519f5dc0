package io.tito;

import java.util.Map;

/**
 * A write would create something that must be unique and already exists: a record id on insert,
 * or the values of a unique index held by another record. Nothing of the write was applied in the
 * failing transaction. Never retriable: the existing entry was committed (the runner already
 * re-ran the transaction if a concurrent writer won a commit race, which is how this surfaces).
 *
 * <p>Not final: modules subclass it with typed details (the event store's expected-version,
 * idempotency and deleted-stream errors), so that callers catching this type catch those too.
 */
public non-sealed class AlreadyExistsException extends TitoException {

  public AlreadyExistsException(String message, Map<String, ?> context) {
    super(message, context, null);
  }

  @Override
  public boolean isRetriable() {
    return false;
  }
}
