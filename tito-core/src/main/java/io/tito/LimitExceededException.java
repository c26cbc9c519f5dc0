package io.tito;

import java.util.Map;

/**
 * An operation would exceed a declared limit (key size, value size, transaction size, ...). It is
 * raised before anything is changed: the offending write is not applied and the transaction stays
 * usable.
 */
public final class LimitExceededException extends TitoException {

  public LimitExceededException(String message, Map<String, ?> context) {
    super(message, context, null);
  }

  /** Never retriable: the same work exceeds the same limit. */
  @Override
  public boolean isRetriable() {
    return false;
  }
}
