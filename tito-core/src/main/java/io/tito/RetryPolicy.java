package io.tito;

import java.time.Duration;
import java.util.Map;

/**
 * How the transaction runner retries a transaction function whose commit failed with a retriable
 * error ({@link TitoException#isRetriable()}): it re-runs the whole function, after an exponential
 * backoff with full jitter ({@code random(0, min(maxBackoff, initialBackoff * 2^(attempt-1)))}),
 * until it succeeds, {@code maxAttempts} attempts were made, or {@code maxElapsed} has passed.
 *
 * @param maxAttempts attempts in total, first included; default 20
 * @param maxElapsed time after which no new attempt starts; default 30 s
 * @param initialBackoff backoff ceiling before the second attempt; default 2 ms
 * @param maxBackoff largest backoff ceiling; default 1 s
 * @param idempotent whether the function may be re-run after {@link CommitUnknownException},
 *     i.e. applying it twice is harmless; default false
 * @throws InvalidArgumentException from the constructor for non-positive values
 */
public record RetryPolicy(int maxAttempts, Duration maxElapsed, Duration initialBackoff,
    Duration maxBackoff, boolean idempotent) {

  /** The defaults listed above. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(20, Duration.ofSeconds(30), Duration.ofMillis(2), Duration.ofSeconds(1), false);

  /** Exactly one attempt, no retries. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ofSeconds(30), Duration.ofMillis(2), Duration.ofSeconds(1), false);

  public RetryPolicy {
    if (maxAttempts < 1 || maxElapsed == null || initialBackoff == null || maxBackoff == null
        || maxElapsed.isNegative() || initialBackoff.isNegative() || maxBackoff.isNegative()
        || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new InvalidArgumentException("retry policy needs maxAttempts >= 1 and non-negative "
          + "durations with maxBackoff >= initialBackoff",
          Map.of("maxAttempts", maxAttempts, "maxElapsed", String.valueOf(maxElapsed),
              "initialBackoff", String.valueOf(initialBackoff), "maxBackoff", String.valueOf(maxBackoff)));
    }
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
