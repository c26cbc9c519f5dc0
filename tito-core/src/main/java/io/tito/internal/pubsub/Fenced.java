package io.tito.internal.pubsub;

/** Thrown inside a transaction when the consumer no longer owns the partition (fencing). */
final class Fenced extends RuntimeException {
  Fenced() {
    super("lease lost", null, false, false);
  }
}
