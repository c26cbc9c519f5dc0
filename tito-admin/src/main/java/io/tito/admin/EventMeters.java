package io.tito.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tito.Transaction;
import io.tito.events.EventFilter;
import io.tito.events.Projection;
import io.tito.events.RecordedEvent;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The event store's part of {@link TitoMetrics}: per projection and subscription group, read from
 * the store at each refresh, {@code tito.projection.lag} (events of {@code $all} after its
 * position), {@code tito.projection.dead.letters} and {@code tito.projection.paused} (1 or 0),
 * tagged {@code kind} ({@code projection} or {@code subscription}) and {@code name}; and, for
 * projections wrapped by {@link TitoMetrics#projection}, {@code tito.projection.handled}, {@code
 * tito.projection.failed} and {@code tito.projection.latency} in this process. Thread-safe.
 */
final class EventMeters {

  private final TitoAdmin admin;
  private final AtomicReference<Map<String, EventConsumerInfo>> consumers =
      new AtomicReference<>(Map.of());

  EventMeters(TitoAdmin admin) {
    this.admin = admin;
  }

  /** Reads every consumer's status; nothing without an event store. */
  void refresh() {
    if (!admin.hasEvents()) {
      return;
    }
    Map<String, EventConsumerInfo> now = new HashMap<>();
    for (EventConsumerKind kind : EventConsumerKind.values()) {
      for (EventConsumerInfo c : admin.events().consumers(kind)) {
        now.put(key(kind, c.name()), c);
      }
    }
    consumers.set(Map.copyOf(now));
  }

  /** Registers the meters of consumers that appeared since the last call in {@code r}. */
  void register(MeterRegistry r, Set<String> registered) {
    for (Map.Entry<String, EventConsumerInfo> e : consumers.get().entrySet()) {
      String key = e.getKey();
      if (!registered.add("e" + key)) {
        continue;
      }
      EventConsumerInfo c = e.getValue();
      Tags tags = Tags.of("kind", c.kind().name().toLowerCase(Locale.ROOT), "name", c.name());
      Gauge.builder("tito.projection.lag", consumers, ref -> value(ref, key, i -> i.status().lag()))
          .description("Events of $all after the consumer's position").tags(tags).register(r);
      Gauge.builder("tito.projection.dead.letters", consumers,
              ref -> value(ref, key, EventConsumerInfo::deadLetters))
          .description("Dead letters of the consumer waiting for an operator").tags(tags)
          .register(r);
      Gauge.builder("tito.projection.paused", consumers,
              ref -> value(ref, key, i -> i.status().paused() ? 1 : 0))
          .description("1 while the consumer is paused").tags(tags).register(r);
    }
  }

  private static double value(AtomicReference<Map<String, EventConsumerInfo>> ref, String key,
      java.util.function.ToLongFunction<EventConsumerInfo> f) {
    EventConsumerInfo i = ref.get().get(key);
    return i == null ? Double.NaN : f.applyAsLong(i);
  }

  private static String key(EventConsumerKind kind, String name) {
    return kind.name() + '\0' + name;
  }

  /** {@code projection}, timed and counted in {@code r}. */
  static Projection wrap(MeterRegistry r, Projection projection) {
    Tags tags = Tags.of("name", projection.name());
    Timer ok = Timer.builder("tito.projection.latency").tags(tags).tag("outcome", "ok").register(r);
    Timer failedTimer = Timer.builder("tito.projection.latency").tags(tags).tag("outcome", "failed")
        .register(r);
    Counter handled = Counter.builder("tito.projection.handled")
        .description("Applies that returned (a batch rolled back by a failure is applied again)")
        .tags(tags).register(r);
    Counter failed = Counter.builder("tito.projection.failed")
        .description("Failed applies: each is retried or dead-lettered").tags(tags).register(r);
    return new Projection() {
      @Override
      public String name() {
        return projection.name();
      }

      @Override
      public EventFilter filter() {
        return projection.filter();
      }

      @Override
      public void apply(Transaction tx, RecordedEvent event) throws Exception {
        long start = System.nanoTime();
        try {
          projection.apply(tx, event);
          ok.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          handled.increment();
        } catch (Exception | Error e) {
          failedTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          failed.increment();
          throw e;
        }
      }

      @Override
      public void clear(Transaction tx) throws Exception {
        projection.clear(tx);
      }
    };
  }
}
