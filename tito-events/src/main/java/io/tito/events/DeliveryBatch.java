package io.tito.events;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The deliveries of one handler call of a manual-ack subscription (at most max-in-flight of
 * them): the worker waits in {@link #await} until every one is acked, or one is nacked, and then
 * closes the batch; acks and nacks may come from any thread. A lock and a condition, not a
 * monitor, so that virtual threads do not pin their carrier while waiting. Thread-safe.
 */
final class DeliveryBatch {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition settled = lock.newCondition();
  private int outstanding;
  private String nacked;
  private boolean closed;

  void add() {
    lock.lock();
    try {
      outstanding++;
    } finally {
      lock.unlock();
    }
  }

  /** Settles {@code d} as acked. @throws StaleDeliveryException if the batch was closed */
  void ack(Delivery d) {
    lock.lock();
    try {
      requireOpen();
      settle(d);
    } finally {
      lock.unlock();
    }
  }

  /** Settles {@code d} as acked if the batch is still open (an ack committed in a caller's transaction). */
  void ackIfOpen(Delivery d) {
    lock.lock();
    try {
      if (!closed) {
        settle(d);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Fails the batch. @throws StaleDeliveryException if the batch was closed */
  void nack(String reason) {
    lock.lock();
    try {
      requireOpen();
      if (nacked == null) {
        nacked = reason;
      }
      settled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The reason of the first nack, or null. */
  String nacked() {
    lock.lock();
    try {
      return nacked;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every delivery is acked or one is nacked, or until {@code deadlineNanos} ({@link
   * System#nanoTime}), then closes the batch. An interrupt (the consumer core gave up on the
   * handler call, or the subscription is closing) closes it too.
   *
   * @throws Delivery.NackedException if a delivery was nacked or the deadline passed first
   * @throws InterruptedException if interrupted first
   */
  void await(long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      while (outstanding > 0 && nacked == null) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          throw new Delivery.NackedException("not acked within the handler timeout");
        }
        settled.awaitNanos(left);
      }
      if (nacked != null) {
        throw new Delivery.NackedException(nacked);
      }
    } finally {
      closed = true;
      lock.unlock();
    }
  }

  /** Closes the batch without waiting (the handler threw). */
  void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private void settle(Delivery d) {
    if (d.markSettled()) {
      outstanding--;
      settled.signalAll();
    }
  }

  /** Under the lock. */
  private void requireOpen() {
    if (closed) {
      throw new StaleDeliveryException("the worker gave up on this delivery's batch (handler timeout,"
          + " close, or a nack in the batch); the event is handed over again");
    }
  }
}
