package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tito.memory.MemoryEngine;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A waiter on one partition is woken only by what concerns it: its partition, its topic, or
 * everything. Counted in returns from the waiter's condition (each spurious wake-up is one), with
 * a wait far longer than the test, so no timing is asserted.
 */
class SignalsWaitTest {

  private static final long LONG_WAIT_MILLIS = TimeUnit.MINUTES.toMillis(10);

  private final Signals signals = Signals.of(new MemoryEngine());

  /** A thread waiting on {@code partition} of {@code topic} from the current generation. */
  private Thread waiter(String topic, int partition) {
    long token = signals.generation(topic, partition);
    Thread t = Thread.ofVirtual().start(() -> {
      try {
        signals.await(topic, partition, token, LONG_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    until("waiter of " + topic + "/" + partition + " waits", () -> signals.waiting(topic, partition));
    return t;
  }

  private static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for: " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private static void join(Thread t) throws InterruptedException {
    assertThat(t.join(java.time.Duration.ofSeconds(30))).as("waiter returned").isTrue();
  }

  @Test
  void wakeOfAnotherPartitionOrTopicDoesNotWakeTheWaiter() throws InterruptedException {
    Thread t = waiter("orders", 4);
    long returns = signals.conditionReturns();
    for (int i = 0; i < 20; i++) {
      signals.wake("orders", 3);
      signals.wake("payments", 4);
      signals.wake("other");
      // A waiter woken for nothing leaves its condition until it waits again: wait for that, so
      // every spurious wake-up is counted.
      until("waiter waits again", () -> signals.waiting("orders", 4));
    }
    assertThat(t.isAlive()).isTrue();
    assertThat(signals.conditionReturns() - returns).as("wake-ups of a partition-4 waiter by others")
        .isZero();
    signals.wake("orders", 4);
    join(t);
    assertThat(signals.conditionReturns() - returns).as("wake-ups by its own partition").isEqualTo(1);
  }

  @Test
  void wakeOfTheTopicOrEverythingWakesEveryPartitionWaiter() throws InterruptedException {
    Thread a = waiter("orders", 3);
    Thread b = waiter("orders", 4);
    signals.wake("orders");
    join(a);
    join(b);
    Thread c = waiter("orders", 5);
    Thread d = waiter("payments", 0);
    signals.wakeAll();
    join(c);
    join(d);
  }

  @Test
  void twoWaitersOfOnePartitionBothWake() throws InterruptedException {
    long token = signals.generation("orders", 7);
    Thread a = waiter("orders", 7);
    Thread b = Thread.ofVirtual().start(() -> {
      try {
        signals.await("orders", 7, token, LONG_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    signals.wake("orders", 7); // before or while b waits: b returns either way
    join(a);
    join(b);
  }
}
