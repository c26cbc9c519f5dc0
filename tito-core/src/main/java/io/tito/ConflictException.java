package io.tito;

import java.util.Map;

/**
 * The transaction could not commit because another transaction committed a write to a key this
 * one wrote after this one's snapshot (first committer wins), or the engine detected a
 * serialization failure. Nothing of the transaction was applied. Always retriable.
 */
public final class ConflictException extends TitoException {

  private final boolean retryNow;

  public ConflictException(String message, Map<String, ?> context) {
    this(message, context, null);
  }

  public ConflictException(String message, Map<String, ?> context, Throwable cause) {
    this(message, context, cause, false);
  }

  private ConflictException(String message, Map<String, ?> context, Throwable cause, boolean retryNow) {
    super(message, context, cause);
    this.retryNow = retryNow;
  }

  /**
   * The same conflict, marked {@linkplain #retryNow() retriable at once}: for an engine that
   * reports the conflict only once the commit this transaction lost to is visible to new
   * transactions. The result has this exception as its cause.
   */
  public ConflictException retryingNow() {
    return new ConflictException(staticMessage(), context(), this, true);
  }

  /**
   * Whether a retry can start at once, without backing off: the engine already waited until the
   * commit this transaction lost to is visible to new transactions, so a retry reads it, and a
   * backoff would only add delay. The transaction runner skips the backoff for a transaction's
   * first retry only; a transaction that loses again is contending with other writers and backs
   * off. False for an ordinary conflict.
   */
  public boolean retryNow() {
    return retryNow;
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
