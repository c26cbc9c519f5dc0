package io.tito.testkit.events;

import io.tito.Tito;
import io.tito.events.EventData;
import io.tito.events.EventStore;
import io.tito.events.RecordedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What every contract of the event-store acceptance kit gets from {@link
 * EventStoreAcceptanceTest}: a fresh Tito store on the engine under test with an {@link
 * EventStore}, per test.
 */
public interface EventStoreFixture {

  /** The Tito store of the running test. */
  Tito tito();

  /** Its event store. */
  EventStore events();

  /**
   * The engine's pause points ({@link io.tito.testkit.FaultPoints}), if the module declares them:
   * {@link io.tito.testkit.FaultPoints.Point#COMMIT_CHECKED} holds an append inside its commit
   * (engines with parallel commits). None by default.
   */
  default java.util.Optional<io.tito.testkit.FaultPoints> faults() {
    return java.util.Optional.empty();
  }

  /** An event of {@code type} with payload {@code {"n": n}}. */
  static EventData event(String type, int n) {
    return EventData.ofJson(type, "{\"n\":" + n + "}");
  }

  /** The {@code n} of a payload written by {@link #event}. */
  static int n(RecordedEvent e) {
    return e.payloadAs(Num.class).n();
  }

  /** Payload of {@link #event}. */
  record Num(int n) {}

  /** Runs {@code tasks} on their own threads, all at once, and returns their results in order. */
  static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(tasks.size());
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> t : tasks) {
        futures.add(pool.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          return t.call();
        }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
