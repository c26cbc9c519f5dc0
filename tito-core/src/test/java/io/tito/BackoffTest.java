package io.tito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.Backoff.Jitter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final long MS = 1_000_000;
  private final Backoff b = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(30), Jitter.NONE);

  @Test
  void theCeilingDoublesFromInitialAndStopsAtMax() {
    assertThat(b.ceilingNanos(1)).isEqualTo(100 * MS);
    assertThat(b.ceilingNanos(2)).isEqualTo(200 * MS);
    assertThat(b.ceilingNanos(9)).isEqualTo(25_600 * MS);
    assertThat(b.ceilingNanos(10)).isEqualTo(30_000 * MS);
    assertThat(b.delayNanos(3)).as("no jitter: exactly the ceiling").isEqualTo(400 * MS);
  }

  @Test
  void largeAttemptNumbersDoNotOverflow() {
    for (int n : new int[] {31, 32, 62, 63, 64, 65, 1_000, Integer.MAX_VALUE}) {
      assertThat(b.ceilingNanos(n)).as("attempt %d", n).isEqualTo(30_000 * MS);
    }
    Backoff forever = Backoff.of(Duration.ofNanos(1), ChronoUnit.FOREVER.getDuration(), Jitter.FULL);
    assertThat(forever.ceilingNanos(63)).isEqualTo(1L << 62);
    assertThat(forever.ceilingNanos(64)).isEqualTo(Long.MAX_VALUE);
    assertThat(forever.ceilingNanos(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(forever.delayNanos(Integer.MAX_VALUE)).isBetween(0L, Long.MAX_VALUE);
    Backoff equal = Backoff.of(Duration.ofNanos(1), ChronoUnit.FOREVER.getDuration(), Jitter.EQUAL);
    assertThat(equal.delayNanos(Integer.MAX_VALUE)).isBetween(Long.MAX_VALUE / 2, Long.MAX_VALUE);
  }

  @Test
  void fullJitterStaysInZeroToCeilingAndEqualJitterInHalfToCeiling() {
    Backoff full = Backoff.of(Duration.ofMillis(10), Duration.ofSeconds(1), Jitter.FULL);
    Backoff equal = Backoff.of(Duration.ofMillis(10), Duration.ofSeconds(1), Jitter.EQUAL);
    SplittableRandom random = new SplittableRandom(42);
    long fullMin = Long.MAX_VALUE;
    long equalMin = Long.MAX_VALUE;
    for (int i = 0; i < 10_000; i++) {
      long f = full.delayNanos(2, random);
      long e = equal.delayNanos(2, random);
      assertThat(f).isBetween(0L, 20 * MS);
      assertThat(e).isBetween(10 * MS, 20 * MS);
      fullMin = Math.min(fullMin, f);
      equalMin = Math.min(equalMin, e);
    }
    assertThat(fullMin).as("full jitter reaches well below half").isLessThan(10 * MS);
    assertThat(equalMin).as("equal jitter reaches down near half").isLessThan(11 * MS);
  }

  @Test
  void zeroInitialMeansNoWait() {
    Backoff none = Backoff.of(Duration.ZERO, Duration.ZERO, Jitter.FULL);
    assertThat(none.delayNanos(1)).isZero();
    assertThat(none.delayNanos(100)).isZero();
  }

  @Test
  void rejectsBadSettingsAndAttemptsBelowOne() {
    assertThatThrownBy(() -> Backoff.of(Duration.ofMillis(-1), Duration.ZERO, Jitter.NONE))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("zero or positive");
    assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1), Jitter.NONE))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("max");
    assertThatThrownBy(() -> Backoff.of(Duration.ZERO, Duration.ZERO, null))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("jitter");
    assertThatThrownBy(() -> b.ceilingNanos(0)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void retryPolicyAndSubscribeOptionsSpeakBackoff() {
    assertThat(RetryPolicy.DEFAULT.backoff())
        .isEqualTo(Backoff.of(Duration.ofMillis(2), Duration.ofSeconds(1), Jitter.FULL));
    assertThat(io.tito.pubsub.SubscribeOptions.DEFAULTS.backoff())
        .isEqualTo(Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(30), Jitter.EQUAL));
  }
}
