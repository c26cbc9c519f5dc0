package io.tito;

import java.time.Duration;
import java.util.Map;

/**
 * How the transaction runner retries a transaction function whose commit failed with a retriable
 * error ({@link TitoException#isRetriable()}): it re-runs the whole function, after an exponential
 * backoff with full jitter ({@code random(0, min(maxBackoff, initialBackoff * 2^(attempt-1)))},
 * see {@link #backoff()}),
 * until it succeeds, {@code maxAttempts} attempts were made, or {@code maxElapsed} has passed.
 *
 * @param maxAttempts attempts in total, first included; default 20
 * @param maxElapsed time after which no new attempt starts; default 30 s
 * @param initialBackoff backoff ceiling before the second attempt; default 2 ms
 * @param maxBackoff largest backoff ceiling; default 1 s
 * @param idempotent whether the function may be re-run after {@link CommitUnknownException},
 *     i.e. applying it twice is harmless; default false
 * @throws InvalidArgumentException from the constructor, naming the bad setting
 */
public record RetryPolicy(int maxAttempts, Duration maxElapsed, Duration initialBackoff,
    Duration maxBackoff, boolean idempotent) {

  /** The defaults listed above. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(20, Duration.ofSeconds(30), Duration.ofMillis(2), Duration.ofSeconds(1), false);

  /** Exactly one attempt, no retries. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ofSeconds(30), Duration.ofMillis(2), Duration.ofSeconds(1), false);

  /**
   * @throws InvalidArgumentException naming the first bad setting ({@code setting} in the
   *     context): maxAttempts below 1, a null or negative duration, maxBackoff below initialBackoff
   */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw invalid("retry policy maxAttempts must be at least 1", "maxAttempts", maxAttempts);
    }
    requireNonNegative(maxElapsed, "maxElapsed");
    requireNonNegative(initialBackoff, "initialBackoff");
    requireNonNegative(maxBackoff, "maxBackoff");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new InvalidArgumentException("retry policy maxBackoff must not be below initialBackoff",
          Map.of("setting", "maxBackoff", "maxBackoff", maxBackoff, "initialBackoff", initialBackoff));
    }
  }

  private static void requireNonNegative(Duration d, String setting) {
    if (d == null || d.isNegative()) {
      throw invalid("retry policy durations must be zero or positive", setting, d);
    }
  }

  private static InvalidArgumentException invalid(String message, String setting, Object value) {
    return new InvalidArgumentException(message, Map.of("setting", setting, "value", String.valueOf(value)));
  }

  /**
   * The backoff between attempts: {@link Backoff.Jitter#FULL full jitter} from
   * {@code initialBackoff} doubling up to {@code maxBackoff}.
   */
  public Backoff backoff() {
    return new Backoff(initialBackoff, maxBackoff, Backoff.Jitter.FULL);
  }

  /** The same policy with a different attempt limit. */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, maxElapsed, initialBackoff, maxBackoff, idempotent);
  }

  /** The same policy with a different time limit. */
  public RetryPolicy withMaxElapsed(Duration elapsed) {
    return new RetryPolicy(maxAttempts, elapsed, initialBackoff, maxBackoff, idempotent);
  }

  /** The same policy with different backoff bounds. */
  public RetryPolicy withBackoff(Duration initial, Duration max) {
    return new RetryPolicy(maxAttempts, maxElapsed, initial, max, idempotent);
  }

  /** The same policy, declaring whether the work may be re-run after an unknown commit. */
  public RetryPolicy withIdempotent(boolean value) {
    return new RetryPolicy(maxAttempts, maxElapsed, initialBackoff, maxBackoff, value);
  }
}
