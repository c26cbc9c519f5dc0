package io.tito.events;

/**
 * The deliveries of one handler call of a manual-ack subscription (at most max-in-flight of
 * them): the worker waits in {@link #await} until every one is acked, or one is nacked, and then
 * closes the batch; acks and nacks may come from any thread. Thread-safe.
 */
final class DeliveryBatch {

  private int outstanding;
  private String nacked;
  private boolean closed;

  synchronized void add() {
    outstanding++;
  }

  /** Settles {@code d} as acked. @throws StaleDeliveryException if the batch was closed */
  synchronized void ack(Delivery d) {
    requireOpen();
    settle(d);
  }

  /** Settles {@code d} as acked if the batch is still open (an ack committed in a caller's transaction). */
  synchronized void ackIfOpen(Delivery d) {
    if (!closed) {
      settle(d);
    }
  }

  /** Fails the batch. @throws StaleDeliveryException if the batch was closed */
  synchronized void nack(String reason) {
    requireOpen();
    if (nacked == null) {
      nacked = reason;
    }
    notifyAll();
  }

  /** The reason of the first nack, or null. */
  synchronized String nacked() {
    return nacked;
  }

  /**
   * Waits until every delivery is acked or one is nacked, or until {@code deadlineNanos} ({@link
   * System#nanoTime}), then closes the batch. An interrupt (the consumer core gave up on the
   * handler call, or the subscription is closing) closes it too.
   *
   * @throws Delivery.NackedException if a delivery was nacked or the deadline passed first
   * @throws InterruptedException if interrupted first
   */
  synchronized void await(long deadlineNanos) throws InterruptedException {
    try {
      while (outstanding > 0 && nacked == null) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          throw new Delivery.NackedException("not acked within the handler timeout");
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      if (nacked != null) {
        throw new Delivery.NackedException(nacked);
      }
    } finally {
      closed = true;
    }
  }

  /** Closes the batch without waiting (the handler threw). */
  synchronized void close() {
    closed = true;
  }

  private void settle(Delivery d) {
    if (d.markSettled()) {
      outstanding--;
      notifyAll();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new StaleDeliveryException("the worker gave up on this delivery's batch (handler timeout,"
          + " close, or a nack in the batch); the event is handed over again");
    }
  }
}
