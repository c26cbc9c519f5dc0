package io.tito.events;

/**
 * A {@link Delivery} can no longer be acked or nacked: its worker gave up on it (the handler
 * timeout passed, the subscription was closed, or an event of its batch was nacked, so that the
 * batch is handed over again), its group was reset or deleted, or, for {@link
 * Delivery#ack(io.tito.Transaction)}, the event was already acked through another delivery. In a
 * caller's transaction it leaves nothing written by the ack; the caller should roll back its
 * effects (the event is, or will be, handled through another delivery).
 */
public final class StaleDeliveryException extends IllegalStateException {

  StaleDeliveryException(String message) {
    super(message);
  }
}
