package io.tito.events;

/**
 * A projection did not reach its target position within the time given ({@link
 * Projections#runUntilIdle}, {@link Projections#runOnce}); it was stopped, its progress so far is
 * kept.
 */
public final class CatchUpTimeoutException extends IllegalStateException {

  CatchUpTimeoutException(String message) {
    super(message);
  }
}
