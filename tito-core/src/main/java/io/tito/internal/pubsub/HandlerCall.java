package io.tito.internal.pubsub;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One handler call under the subscription's handler timeout. The handler runs on the partition
 * runner's own thread (no hand-off on the hot path); the runner's {@link HandlerTimer} gives up on
 * calls that outlive their timeout: exactly one of {@link #finish()} (by the runner) and the
 * timeout wins. When the timeout wins, the call is {@linkplain #abandoned() abandoned}, its
 * concurrency permit is released and {@code onTimeout} runs (it hands the partition to a fresh
 * runner if it can, and interrupts the handler). Thread-safe.
 */
final class HandlerCall {

  private static final int RUNNING = 0;
  private static final int FINISHED = 1;
  private static final int ABANDONED = 2;

  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private final AtomicBoolean permitHeld = new AtomicBoolean(true);
  private final Semaphore permits;
  private final BooleanSupplier onTimeout;
  private final long deadlineNanos;
  private final CompletableFuture<Boolean> handedOver = new CompletableFuture<>();

  private HandlerCall(Semaphore permits, BooleanSupplier onTimeout, long deadlineNanos) {
    this.permits = permits;
    this.onTimeout = onTimeout;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * Starts timing, on {@code timer}, a call that holds one of {@code permits} (already acquired);
   * {@code onTimeout} runs on the timer thread if the call is given up on, and says whether it
   * handed the partition over to a fresh runner.
   */
  static HandlerCall start(HandlerTimer timer, Semaphore permits, Duration limit,
      BooleanSupplier onTimeout) {
    long deadline = timer.now() + TimeUnit.NANOSECONDS.convert(limit);
    HandlerCall call = new HandlerCall(permits, onTimeout, deadline);
    timer.watch(call);
    return call;
  }

  /** When the call is given up on, on its timer's clock. */
  long deadlineNanos() {
    return deadlineNanos;
  }

  /** Whether neither the runner nor the timeout has ended the call yet. */
  boolean running() {
    return state.get() == RUNNING;
  }

  /**
   * On the timer thread, once the deadline has passed: gives up on the call unless it finished
   * first, releasing its permit and running {@code onTimeout}.
   */
  void expire() {
    if (state.compareAndSet(RUNNING, ABANDONED)) {
      releasePermit();
      boolean over = false;
      try {
        over = onTimeout.getAsBoolean();
      } finally {
        handedOver.complete(over);
      }
    }
  }

  /**
   * For a call the timeout gave up on: whether a fresh runner took the partition over (then the
   * old runner must stop without recording anything); waits for the timer to decide.
   */
  boolean handedOver() {
    return handedOver.join();
  }

  /** Whether the timeout gave up on this call. */
  boolean abandoned() {
    return state.get() == ABANDONED;
  }

  /** Ends the call in time; false if the timeout gave up on it first. */
  boolean finish() {
    return state.compareAndSet(RUNNING, FINISHED) || state.get() == FINISHED;
  }

  /** Gives the concurrency permit back, once, whoever ends first. */
  void releasePermit() {
    if (permitHeld.compareAndSet(true, false)) {
      permits.release();
    }
  }
}
