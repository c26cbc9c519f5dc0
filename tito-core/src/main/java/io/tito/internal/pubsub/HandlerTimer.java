package io.tito.internal.pubsub;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the handler timeout for the calls of one partition runner, one call at a time, with at
 * most one pending timer task that is re-armed lazily: starting a call schedules nothing while a
 * check is already due at or before the call's deadline (the previous call's deadline, as all
 * calls here share one timeout). When a check runs it gives up on the current call if its
 * deadline has passed, re-arms for the current call's deadline if it is still running, and else
 * disarms. So a call is given up on no earlier than its deadline and as soon after it as the timer
 * thread runs, as with one timer per call, but a stream of quick calls costs one timer task per
 * timeout period instead of a schedule and a cancel (and a timer-thread wake-up) per call.
 * Thread-safe.
 */
final class HandlerTimer {

  /** Runs a task after a delay in nanoseconds. */
  interface Scheduler {
    void schedule(Runnable task, long delayNanos);
  }

  private static final Logger log = LoggerFactory.getLogger(HandlerTimer.class);
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  /** The shared timer thread: one for every runner. */
  static final Scheduler SHARED = (task, delay) -> TIMER.schedule(task, delay, TimeUnit.NANOSECONDS);

  private final Scheduler scheduler;
  private final LongSupplier nanoTime;
  private final AtomicReference<HandlerCall> current = new AtomicReference<>();
  /** Whether a check is scheduled (or running): its owner re-arms or disarms it. */
  private final AtomicBoolean armed = new AtomicBoolean();

  HandlerTimer(Scheduler scheduler, LongSupplier nanoTime) {
    this.scheduler = scheduler;
    this.nanoTime = nanoTime;
  }

  /** A timer on the shared timer thread and {@link System#nanoTime()}. */
  static HandlerTimer shared() {
    return new HandlerTimer(SHARED, System::nanoTime);
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

  /** The current time on this timer's clock, in nanoseconds. */
  long now() {
    return nanoTime.getAsLong();
  }

  /**
   * Watches {@code call}, which replaces the previous call (finished by then); its deadline must
   * not come before the previous call's.
   */
  void watch(HandlerCall call) {
    current.set(call);
    if (armed.compareAndSet(false, true)) {
      arm(call);
    }
  }

  /** Stops watching {@code call} once it ended, so that a pending check does not keep it. */
  void unwatch(HandlerCall call) {
    current.compareAndSet(call, null);
  }

  private void arm(HandlerCall call) {
    scheduler.schedule(this::check, Math.max(0, call.deadlineNanos() - now()));
  }

  /** On the timer thread: gives up on an overdue call, then re-arms or disarms. */
  private void check() {
    HandlerCall c = current.get();
    while (true) {
      if (c == null || !c.running()) {
        armed.set(false);
        // A call started after the read above saw the check armed and scheduled nothing: take
        // over arming for it unless its own watch() already did.
        c = current.get();
        if (c == null || !c.running() || !armed.compareAndSet(false, true)) {
          return;
        }
      }
      if (c.deadlineNanos() - now() > 0) {
        arm(c);
        return;
      }
      try {
        c.expire();
      } catch (RuntimeException e) {
        log.error("handler timeout action failed {}", c, e);
      }
    }
  }
}
