package io.tito.internal.pubsub;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One handler call under the subscription's handler timeout. The handler runs on the partition
 * runner's own thread (no hand-off on the hot path); one shared timer thread gives up on calls
 * that outlive their timeout: exactly one of {@link #finish()} (by the runner) and the timeout
 * wins. When the timeout wins, the call is {@linkplain #abandoned() abandoned}, its concurrency
 * permit is released and {@code onTimeout} runs (it hands the partition to a fresh runner if it
 * can, and interrupts the handler). Thread-safe.
 */
final class HandlerCall {

  private static final int RUNNING = 0;
  private static final int FINISHED = 1;
  private static final int ABANDONED = 2;

  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private final AtomicBoolean permitHeld = new AtomicBoolean(true);
  private final Semaphore permits;
  private final CompletableFuture<Boolean> handedOver = new CompletableFuture<>();
  private volatile ScheduledFuture<?> timeout;

  private HandlerCall(Semaphore permits) {
    this.permits = permits;
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "tito-handler-timeout");
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /**
   * Starts timing a call that holds one of {@code permits} (already acquired); {@code onTimeout}
   * runs on the timer thread if the call is given up on, and says whether it handed the partition
   * over to a fresh runner.
   */
  static HandlerCall start(Semaphore permits, Duration limit, BooleanSupplier onTimeout) {
    HandlerCall call = new HandlerCall(permits);
    long nanos = TimeUnit.NANOSECONDS.convert(limit);
    call.timeout = TIMER.schedule(() -> {
      if (call.state.compareAndSet(RUNNING, ABANDONED)) {
        call.releasePermit();
        boolean over = false;
        try {
          over = onTimeout.getAsBoolean();
        } finally {
          call.handedOver.complete(over);
        }
      }
    }, nanos, TimeUnit.NANOSECONDS);
    return call;
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
    if (state.compareAndSet(RUNNING, FINISHED)) {
      timeout.cancel(false);
      return true;
    }
    return state.get() == FINISHED;
  }

  /** Gives the concurrency permit back, once, whoever ends first. */
  void releasePermit() {
    if (permitHeld.compareAndSet(true, false)) {
      permits.release();
    }
  }
}
