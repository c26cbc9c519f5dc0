package io.tito.testkit;

import java.util.Random;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.opentest4j.AssertionFailedError;

/** Runs concurrent workers for the concurrency tests, bounded in time. */
final class Workers {

  private Workers() {}

  /** How long a concurrency test may run before it fails. */
  static final long DEADLINE_SECONDS = 60;

  /** Small random pause before a retry, growing with the attempt. */
  static void backoff(Random random, int attempt) {
    LockSupport.parkNanos(random.nextInt(50_000 * Math.min(attempt, 20)) + 1);
  }

  /** One worker: its body runs until done; failures and stragglers fail the test. */
  interface Worker {
    void run(int index, Random random, long deadlineNanos) throws Exception;
  }

  /** Runs {@code threads} workers and waits for them, at most until the deadline. */
  static void run(int threads, long seed, Worker worker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "tito-testkit-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      CompletionService<Void> done = new ExecutorCompletionService<>(pool);
      CountDownLatch start = new CountDownLatch(threads);
      for (int i = 0; i < threads; i++) {
        int index = i;
        done.submit(() -> {
          start.countDown();
          if (!start.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new AssertionFailedError("workers did not start");
          }
          worker.run(index, new Random(seed + index), deadline);
          return null;
        });
      }
      for (int i = 0; i < threads; i++) {
        Future<Void> f = done.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (f == null) {
          throw new AssertionFailedError("workers did not finish within " + DEADLINE_SECONDS + " s (seed " + seed + ")");
        }
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new AssertionFailedError("a worker failed (seed " + seed + "): " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Lets other threads run between a transaction's reads and its writes, so that transactions of
   * fast in-process engines overlap (and conflict) as those of networked engines do.
   */
  static void overlap() {
    Thread.yield();
  }

  static void checkDeadline(long deadline) {
    if (System.nanoTime() > deadline) {
      throw new AssertionFailedError("ran out of time (" + DEADLINE_SECONDS + " s)");
    }
  }
}
