package io.tito.internal;

import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.RetryPolicy;
import io.tito.StorageException;
import io.tito.TitoException;
import io.tito.TransactionFunction;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that owns the retry loop: runs a function in a transaction, commits, and re-runs
 * the whole function on retriable failures as its {@link RetryPolicy} allows. Thread-safe.
 */
public final class TransactionRunner {

  private static final Logger log = LoggerFactory.getLogger(TransactionRunner.class);

  private final Engine engine;
  private final boolean defersExpectations;

  public TransactionRunner(Engine engine) {
    this.engine = engine;
    this.defersExpectations = engine.capabilities().contains(Capability.DEFERRED_EXPECTATIONS);
  }

  /**
   * Runs {@code fn} until it commits or the policy gives up; then throws the last failure, wrapped
   * with the attempt count when retries were exhausted.
   */
  public <T> T run(boolean readOnly, RetryPolicy policy, TransactionFunction<T> fn) {
    long start = System.nanoTime();
    long deadline = start + policy.maxElapsed().toNanos();
    for (int attempt = 1; ; attempt++) {
      DefaultTransaction tx = null;
      T result;
      try {
        EngineTransaction etx = engine.begin(readOnly);
        // Guesses only where a wrong one is retried, by an attempt that then reads instead.
        tx = new DefaultTransaction(etx, defersExpectations && !readOnly && attempt == 1
            && policy.maxAttempts() > 1);
        try (etx) {
          result = fn.apply(tx);
          etx.commit();
        }
      } catch (TitoException e) {
        boolean retriable = e.isRetriable()
            || (e instanceof CommitUnknownException && policy.idempotent());
        if (!retriable) {
          throw e;
        }
        long now = System.nanoTime();
        if (attempt >= policy.maxAttempts() || now >= deadline) {
          throw giveUp(e, attempt, TimeUnit.NANOSECONDS.toMillis(now - start));
        }
        log.debug("transaction attempt {} failed, retrying: {}", attempt, e.getMessage());
        // A conflict the engine reported once the winner was visible is retried at once, but only
        // the first time: losing again means contention with other writers, which backoff with
        // jitter spreads out (retrying at once then only burns the attempts).
        if (!(attempt == 1 && e instanceof ConflictException c && c.retryNow())) {
          backoff(policy, attempt, deadline - now, e);
        }
        continue;
      }
      tx.runAfterCommit();
      return result;
    }
  }

  private static void backoff(RetryPolicy policy, int attempt, long nanosLeft, TitoException cause) {
    long sleep = Math.min(policy.backoff().delayNanos(attempt), Math.max(nanosLeft, 0));
    try {
      TimeUnit.NANOSECONDS.sleep(sleep);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }

  private static TitoException giveUp(TitoException last, int attempts, long elapsedMillis) {
    if (attempts == 1) {
      return last;
    }
    Map<String, Object> ctx = Map.of("attempts", attempts, "elapsedMillis", elapsedMillis);
    String msg = "transaction gave up after retries";
    return switch (last) {
      case ConflictException c -> new ConflictException(msg, ctx, c);
      case StorageException s -> new StorageException(msg, ctx, s, true);
      case CommitUnknownException u -> new CommitUnknownException(msg, ctx, u);
      default -> last;
    };
  }
}
