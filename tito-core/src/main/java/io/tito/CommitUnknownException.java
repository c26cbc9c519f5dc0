package io.tito;

import java.util.Map;

/**
 * The outcome of a commit is unknown: the engine may or may not have applied it (for example the
 * connection was lost while the commit was in flight). The transaction runner does not retry this
 * unless the caller declared the work idempotent, because a retry could apply it twice.
 */
public final class CommitUnknownException extends TitoException {

  public CommitUnknownException(String message, Map<String, ?> context, Throwable cause) {
    super(message, context, cause);
  }

  /** Not retriable by default; see the transaction runner's idempotent option. */
  @Override
  public boolean isRetriable() {
    return false;
  }
}
