package io.tito;

import java.util.Map;

/**
 * An optimistic write named the version it expected a record to have, and the stored version is
 * different (another writer changed the record since the caller read it). The context holds the
 * {@code expected} and {@code actual} versions. Never retriable by the transaction runner: the
 * caller must re-read the record and decide again.
 *
 * <p>Not final: modules subclass it with typed details (the event store's expected-version,
 * idempotency and deleted-stream errors), so that callers catching this type catch those too.
 */
public non-sealed class VersionConflictException extends TitoException {

  public VersionConflictException(String message, Map<String, ?> context) {
    super(message, context, null);
  }

  @Override
  public boolean isRetriable() {
    return false;
  }
}
