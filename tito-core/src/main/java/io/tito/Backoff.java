package io.tito;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The one backoff policy of the library: how long to wait after the {@code n}-th consecutive
 * failure ({@code n >= 1}) before trying again. The <em>ceiling</em> after failure {@code n} is
 * {@code min(max, initial * 2^(n-1))}, computed without overflow for any {@code n} (a product
 * that would exceed {@code max} is {@code max}); the {@linkplain Jitter jitter} draws the delay
 * from it. Used by the transaction runner ({@link RetryPolicy#backoff()}, full jitter), by
 * subscriptions between handler attempts ({@link io.tito.pubsub.SubscribeOptions#backoff()},
 * equal jitter) and by engines between reconnects (no jitter). Immutable and thread-safe.
 *
 * @param initial ceiling after the first failure; zero or positive
 * @param max largest ceiling; not below {@code initial}
 * @param jitter how a delay is drawn from the ceiling
 * @throws InvalidArgumentException from the constructor, naming the bad setting: a null or
 *     negative duration, {@code max} below {@code initial}, or a null jitter
 */
public record Backoff(Duration initial, Duration max, Jitter jitter) {

  /** How a delay is drawn from the ceiling {@code c}. */
  public enum Jitter {
    /** Exactly {@code c}: for a single waiter, such as a reconnect loop. */
    NONE,
    /** Uniform in {@code [0, c]}: spreads competing retries (conflicting transactions) widest. */
    FULL,
    /** Uniform in {@code [c/2, c]}: keeps a minimum wait that still grows, for handler retries. */
    EQUAL
  }

  /** @throws InvalidArgumentException naming the bad setting ({@code setting} in the context) */
  public Backoff {
    requireNonNegative(initial, "initial");
    requireNonNegative(max, "max");
    if (max.compareTo(initial) < 0) {
      throw new InvalidArgumentException("backoff max must not be below initial",
          Map.of("setting", "max", "max", max, "initial", initial));
    }
    if (jitter == null) {
      throw new InvalidArgumentException("backoff jitter must be given", Map.of("setting", "jitter"));
    }
  }

  /** A backoff from {@code initial} doubling up to {@code max}, drawn by {@code jitter}. */
  public static Backoff of(Duration initial, Duration max, Jitter jitter) {
    return new Backoff(initial, max, jitter);
  }

  private static void requireNonNegative(Duration d, String setting) {
    if (d == null || d.isNegative()) {
      throw new InvalidArgumentException("backoff durations must be zero or positive",
          Map.of("setting", setting, "value", String.valueOf(d)));
    }
  }

  /**
   * The ceiling after the {@code failures}-th failure, in nanoseconds: {@code min(max, initial *
   * 2^(failures-1))}, never overflowing (durations beyond {@link Long#MAX_VALUE} ns count as that).
   *
   * @throws InvalidArgumentException if {@code failures < 1}
   */
  public long ceilingNanos(int failures) {
    if (failures < 1) {
      throw new InvalidArgumentException("backoff is defined from the first failure on",
          Map.of("failures", failures));
    }
    long first = nanos(initial);
    long cap = nanos(max);
    int shift = failures - 1;
    if (first == 0) {
      return 0;
    }
    if (shift >= Long.numberOfLeadingZeros(first)) {
      return cap; // first << shift would not fit in a positive long
    }
    return Math.min(cap, first << shift);
  }

  /** The delay after the {@code failures}-th failure, in nanoseconds, drawn with this thread's random. */
  public long delayNanos(int failures) {
    return delayNanos(failures, ThreadLocalRandom.current());
  }

  /**
   * The delay after the {@code failures}-th failure, in nanoseconds, drawn by {@code random}: in
   * {@code [0, c]}, {@code [floor(c/2), c]} or exactly {@code c} for the ceiling {@code c}.
   *
   * @throws InvalidArgumentException if {@code failures < 1}
   */
  public long delayNanos(int failures, RandomGenerator random) {
    long c = ceilingNanos(failures);
    return switch (jitter) {
      case NONE -> c;
      case FULL -> c == Long.MAX_VALUE ? random.nextLong(0, c) : random.nextLong(0, c + 1);
      case EQUAL -> {
        long low = c / 2;
        yield c == Long.MAX_VALUE ? random.nextLong(low, c) : random.nextLong(low, c + 1);
      }
    };
  }

  /** {@link #delayNanos(int)} as a duration. */
  public Duration delay(int failures) {
    return Duration.ofNanos(delayNanos(failures));
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
