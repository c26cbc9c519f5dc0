package io.tito.internal.pubsub;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One handler attempt, run on its own virtual thread so that a handler that hangs can be given
 * up on after the subscription's handler timeout: the thread is interrupted and the attempt
 * marked {@linkplain #abandoned() abandoned}, which a transactional attempt checks before it
 * handles and before it advances, so it does not commit once given up on (a commit already under
 * way may still land; the runner then finds the item consumed). A handler that ignores the
 * interrupt keeps running on its own thread. Thread-safe.
 */
final class TimedAttempt {

  /** What the attempt does; may throw anything. */
  interface Body {
    void run(TimedAttempt attempt) throws Throwable;
  }

  private volatile boolean abandoned;
  private Throwable thrown;

  private TimedAttempt() {}

  /** Whether the runner gave up on this attempt (timed out, or the runner was interrupted). */
  boolean abandoned() {
    return abandoned;
  }

  /**
   * Runs {@code body} on a new virtual thread and waits up to {@code timeout}. Returns what it
   * threw, null if it returned, or a {@link TimeoutException} if it did not finish in time (the
   * thread is then interrupted and left to end on its own).
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting; the attempt
   *     is abandoned and its thread interrupted first
   */
  static Throwable run(String threadName, Duration timeout, Body body) throws InterruptedException {
    TimedAttempt a = new TimedAttempt();
    Thread t = Thread.ofVirtual().name(threadName).unstarted(() -> {
      try {
        body.run(a);
      } catch (Throwable e) {
        a.thrown = e;
      }
    });
    t.start();
    boolean finished;
    try {
      finished = t.join(timeout);
    } catch (InterruptedException e) {
      a.abandon(t);
      throw e;
    }
    if (!finished) {
      a.abandon(t);
      return new TimeoutException("handler did not finish within the handler timeout of " + timeout
          + "; its thread was interrupted");
    }
    return a.thrown;
  }

  private void abandon(Thread t) {
    abandoned = true;
    t.interrupt();
  }
}
