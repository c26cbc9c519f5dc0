package io.tito.pubsub;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition; the deadline only bounds a failing test, it asserts no timing. */
final class Await {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  private Await() {}

  static void until(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("condition not reached: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  /** Options that make tests quick: short polls, heartbeats, leases and backoffs. */
  static SubscribeOptions.Builder fast() {
    return SubscribeOptions.builder()
        .pollInterval(Duration.ofMillis(50))
        .heartbeatInterval(Duration.ofMillis(50))
        .leaseTimeout(Duration.ofMillis(600))
        .backoff(Duration.ofMillis(2), Duration.ofMillis(20))
        .shutdownTimeout(Duration.ofSeconds(20));
  }
}
