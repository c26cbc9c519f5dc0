package io.tito.admin;

import io.tito.ClosedException;
import io.tito.StorageException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a long operation on a virtual thread and reports progress while waiting for it. */
final class Progress {

  private Progress() {}

  /**
   * Runs {@code task}, calling {@code tick} every {@code every} until it ends; returns when it
   * ends and throws what it threw. A failing tick is ignored (progress is only shown).
   */
  static void watch(Runnable task, Runnable tick, Duration every) {
    FutureTask<Void> run = new FutureTask<>(task, null);
    Thread thread = Thread.ofVirtual().name("tito-admin-run").start(run);
    try {
      while (true) {
        try {
          run.get(every.toMillis(), TimeUnit.MILLISECONDS);
          return;
        } catch (TimeoutException e) {
          try {
            tick.run();
          } catch (RuntimeException ignored) {
            // the display only
          }
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new StorageException("operation failed", Map.of(), e.getCause());
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw new ClosedException("interrupted", Map.of());
    }
  }
}
