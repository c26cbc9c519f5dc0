package io.tito.internal.backup;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs independent tasks (read, check and decode one chunk each) on up to {@code parallelism}
 * threads, ahead of the consumer, and hands their results back in task order. At most
 * {@code parallelism} results are computed ahead, which bounds memory. With parallelism 1 each task
 * runs on the caller's thread when its result is asked for. A task's failure is thrown, unwrapped,
 * when its result is reached. Not thread-safe (one consumer); close it to stop the threads.
 */
public final class InOrder<T> implements AutoCloseable {

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final List<Callable<T>> tasks;
  private final int parallelism;
  private final ExecutorService pool;
  private final Deque<Future<T>> ahead = new ArrayDeque<>();
  private int submitted;
  private int taken;

  InOrder(List<Callable<T>> tasks, int parallelism) {
    this.tasks = tasks;
    this.parallelism = parallelism;
    this.pool = parallelism > 1 ? newPool(parallelism, "tito-backup-read-") : null;
  }

  static ExecutorService newPool(int threads, String name) {
    int pool = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name + pool + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public boolean hasNext() {
    return taken < tasks.size();
  }

  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    if (pool == null) {
      return call(tasks.get(taken++));
    }
    while (submitted < tasks.size() && ahead.size() < parallelism) {
      ahead.addLast(pool.submit(tasks.get(submitted++)));
    }
    Future<T> f = ahead.removeFirst();
    taken++;
    T result = await(f);
    if (submitted < tasks.size()) {
      ahead.addLast(pool.submit(tasks.get(submitted++)));
    }
    return result;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.tito.StorageException("interrupted while waiting for a backup chunk", java.util.Map.of(), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new io.tito.StorageException("backup chunk task failed", java.util.Map.of(), e.getCause());
    }
  }

  private static <T> T call(Callable<T> task) {
    try {
      return task.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new io.tito.StorageException("backup chunk task failed", java.util.Map.of(), e);
    }
  }

  /** Stops the threads, waiting for running tasks so nothing touches storage afterwards. */
  @Override
  public void close() {
    if (pool != null) {
      shutdown(pool);
    }
  }

  static void shutdown(ExecutorService pool) {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new io.tito.StorageException("backup threads did not stop", java.util.Map.of(), null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
