package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Backoff;
import io.tito.Backoff.Jitter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailuresTest {

  private static final long NOW = 1_000_000;

  private static Failures failures(int maxAttempts, Backoff backoff) {
    return new Failures(maxAttempts, backoff, () -> NOW, null, null, "t", "g", 0);
  }

  @Test
  void retriesBelowTheMaxAttemptsAndGivesUpAtIt() {
    Failures f = failures(3, Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(1), Jitter.NONE));
    assertThat(f.decide(1)).isEqualTo(new Failures.Retry(NOW + 100));
    assertThat(f.decide(2)).isEqualTo(new Failures.Retry(NOW + 200));
    assertThat(f.decide(3)).isInstanceOf(Failures.GiveUp.class);
    assertThat(f.decide(4)).isInstanceOf(Failures.GiveUp.class);
  }

  @Test
  void oneAttemptGivesUpAtTheFirstFailure() {
    Failures f = failures(1, Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(1), Jitter.NONE));
    assertThat(f.decide(1)).isInstanceOf(Failures.GiveUp.class);
  }

  @Test
  void theRetryTimeFollowsTheBackoffWithItsJitter() {
    Failures f = failures(100, Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(1), Jitter.EQUAL));
    for (int i = 0; i < 1_000; i++) {
      assertThat(((Failures.Retry) f.decide(3)).atMillis()).isBetween(NOW + 200, NOW + 400);
      assertThat(((Failures.Retry) f.decide(50)).atMillis()).isBetween(NOW + 500, NOW + 1_000);
    }
  }
}
