package io.tito.testkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A one-shot pause at a {@linkplain FaultPoints.Point fault point}: the first thread that
 * {@linkplain #hold() reaches} it waits until {@link #release()} (at most {@link #MAX_HOLD}, so a
 * forgotten pause cannot hang a build); later threads pass. Thread-safe.
 */
public final class Pause implements AutoCloseable {

  /** Longest a thread is held. */
  public static final Duration MAX_HOLD = Duration.ofMinutes(2);

  private final FaultPoints.Point point;
  private final AtomicBoolean taken = new AtomicBoolean();
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile Thread holder;

  Pause(FaultPoints.Point point) {
    this.point = point;
  }

  /** Called by the engine at the point: the first caller stops here until released. */
  public void hold() {
    if (!taken.compareAndSet(false, true)) {
      return;
    }
    holder = Thread.currentThread();
    reached.countDown();
    boolean interrupted = false;
    long deadline = System.nanoTime() + MAX_HOLD.toNanos();
    while (true) {
      try {
        if (released.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
            || System.nanoTime() >= deadline) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until a thread is held here; false if none got here within {@code timeout}. */
  public boolean awaitReached(Duration timeout) throws InterruptedException {
    return reached.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Whether a thread reached the point. */
  public boolean wasReached() {
    return reached.getCount() == 0;
  }

  /** The thread held here, once one reached it. */
  public Thread holder() {
    return holder;
  }

  /** Lets the held thread (and every later one) go. Idempotent. */
  public void release() {
    released.countDown();
  }

  /** Same as {@link #release()}. */
  @Override
  public void close() {
    release();
  }

  @Override
  public String toString() {
    return "Pause[" + point + (wasReached() ? ", reached" : "") + "]";
  }
}
