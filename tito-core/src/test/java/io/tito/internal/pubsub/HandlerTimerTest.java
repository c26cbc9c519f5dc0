package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The handler timeout with a lazily re-armed timer: a manual nanosecond clock and a scheduler
 * that only records tasks (the test runs them), so nothing waits on time.
 */
class HandlerTimerTest {

  private static final Duration LIMIT = Duration.ofNanos(1_000);

  private record Task(Runnable task, long delayNanos) {}

  private final List<Task> scheduled = new ArrayList<>();
  private long now = 5_000;
  private final HandlerTimer timer =
      new HandlerTimer((task, delay) -> scheduled.add(new Task(task, delay)), () -> now);
  private final Semaphore permits = new Semaphore(0);
  private final AtomicInteger timeouts = new AtomicInteger();

  private HandlerCall start() {
    return HandlerCall.start(timer, permits, LIMIT, () -> {
      timeouts.incrementAndGet();
      return true;
    });
  }

  /** Runs the one pending check (removing it). */
  private void runCheck() {
    assertThat(scheduled).hasSize(1);
    scheduled.remove(0).task().run();
  }

  @Test
  void givesUpOnACallPastItsDeadline() {
    HandlerCall call = start();
    assertThat(scheduled).hasSize(1);
    assertThat(scheduled.get(0).delayNanos()).isEqualTo(1_000);
    now += 1_000;
    runCheck();
    assertThat(call.abandoned()).isTrue();
    assertThat(call.finish()).isFalse();
    assertThat(call.handedOver()).isTrue();
    assertThat(timeouts).hasValue(1);
    assertThat(permits.availablePermits()).isEqualTo(1);
    assertThat(scheduled).isEmpty();
  }

  @Test
  void quickCallsScheduleNothingWhileACheckIsPending() {
    HandlerCall first = start();
    assertThat(first.finish()).isTrue();
    timer.unwatch(first);
    now += 400;
    HandlerCall second = start();
    assertThat(second.finish()).isTrue();
    timer.unwatch(second);
    now += 400;
    HandlerCall third = start();
    assertThat(scheduled).hasSize(1);
    // The check due at the first call's deadline re-arms for the running third call's.
    now += 200;
    runCheck();
    assertThat(third.abandoned()).isFalse();
    assertThat(scheduled).hasSize(1);
    assertThat(scheduled.get(0).delayNanos()).isEqualTo(800);
    now += 799;
    runCheck();
    assertThat(third.abandoned()).isFalse();
    assertThat(scheduled.get(0).delayNanos()).isEqualTo(1);
    now += 1;
    runCheck();
    assertThat(third.abandoned()).isTrue();
    assertThat(timeouts).hasValue(1);
    assertThat(scheduled).isEmpty();
  }

  @Test
  void disarmsWhenNoCallRunsAndArmsAgainForTheNextCall() {
    HandlerCall first = start();
    first.finish();
    timer.unwatch(first);
    now += 1_000;
    runCheck();
    assertThat(first.abandoned()).isFalse();
    assertThat(scheduled).isEmpty();
    now += 5_000;
    HandlerCall second = start();
    assertThat(scheduled).hasSize(1);
    assertThat(scheduled.get(0).delayNanos()).isEqualTo(1_000);
    now += 1_000;
    runCheck();
    assertThat(second.abandoned()).isTrue();
    assertThat(timeouts).hasValue(1);
  }

  @Test
  void aCallFinishedInTimeIsNeverGivenUpOnEvenIfTheCheckIsLate() {
    HandlerCall call = start();
    assertThat(call.finish()).isTrue();
    now += 10_000;
    runCheck();
    assertThat(call.abandoned()).isFalse();
    assertThat(timeouts).hasValue(0);
    assertThat(scheduled).isEmpty();
  }

  @Test
  void aFailingTimeoutActionDoesNotStopLaterTimeouts() {
    HandlerCall failing = HandlerCall.start(timer, permits, LIMIT, () -> {
      throw new IllegalStateException("boom");
    });
    now += 1_000;
    runCheck();
    assertThat(failing.abandoned()).isTrue();
    HandlerCall next = start();
    now += 1_000;
    runCheck();
    assertThat(next.abandoned()).isTrue();
    assertThat(timeouts).hasValue(1);
  }
}
