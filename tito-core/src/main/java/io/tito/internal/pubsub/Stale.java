package io.tito.internal.pubsub;

/**
 * Thrown when the items of a handler call were consumed meanwhile (by an attempt given up on that
 * committed), or, with {@link #handedOver()}, when a fresh runner took the partition over from the
 * runner whose handler call timed out (that runner must stop without recording anything).
 */
final class Stale extends RuntimeException {

  private final boolean handedOver;

  Stale(boolean handedOver) {
    super(handedOver ? "handed over" : "already consumed", null, false, false);
    this.handedOver = handedOver;
  }

  boolean handedOver() {
    return handedOver;
  }
}
