package io.tito.log.internal;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Wakes the waiting consumers of one log directory in this process when a producer of this
 * process appends or a consumer commits. Waiters also wake after a bounded park, to see
 * producers and consumers of other processes (see the module README).
 */
public final class LogSignal {

  private static final ConcurrentHashMap<Path, LogSignal> SIGNALS = new ConcurrentHashMap<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicInteger waiters = new AtomicInteger();

  private LogSignal() {}

  /** The signal of {@code dir} (compared by absolute normalised path). */
  public static LogSignal of(Path dir) {
    return SIGNALS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new LogSignal());
  }

  /** Wakes every waiter of this process; cheap when nobody waits. */
  public void signal() {
    if (waiters.get() > 0) {
      lock.lock();
      try {
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Waits until {@link #signal} or {@code nanos} pass, unless {@code ready} already holds (checked
   * under the lock, so a signal between the check and the wait is not lost).
   */
  public void await(BooleanSupplier ready, long nanos) throws InterruptedException {
    lock.lock();
    waiters.incrementAndGet();
    try {
      if (!ready.getAsBoolean()) {
        changed.awaitNanos(nanos);
      }
    } finally {
      waiters.decrementAndGet();
      lock.unlock();
    }
  }

  /** {@link #await} in milliseconds, for tests and bounded waits. */
  public void awaitMillis(BooleanSupplier ready, long millis) throws InterruptedException {
    await(ready, TimeUnit.MILLISECONDS.toNanos(millis));
  }
}
