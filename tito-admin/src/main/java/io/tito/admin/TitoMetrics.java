package io.tito.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.data.IndexBuildProgress;
import io.tito.events.EventStore;
import io.tito.events.Projection;
import io.tito.internal.admin.MeteredEngine;
import io.tito.pubsub.EventHandler;
import io.tito.pubsub.PartitionStatus;
import io.tito.pubsub.TransactionalEventHandler;
import io.tito.spi.Engine;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tito's metrics through Micrometer. Three sources:
 *
 * <ul>
 *   <li><b>Store state</b>, read by {@link #refresh()} in one pass per topic and group (the admin
 *       server calls it before each scrape; with another registry, call it on a schedule):
 *       {@code tito.events.published} (events logged, per topic), {@code tito.events.consumed}
 *       (events a group passed, handled or dead-lettered), {@code tito.group.lag} (per group and
 *       partition), {@code tito.dead.letters} (waiting now), {@code tito.events.dead.lettered}
 *       (events the group ever dead-lettered: a counter that requeue and delete do not lower),
 *       {@code tito.lease.changes} (the fencing epochs:
 *       every new lease owner and every reset adds one), {@code tito.partitions.unowned}. These
 *       count the work of every process on the store.
 *   <li><b>Handlers</b> wrapped by {@link #handler} / {@link #transactionalHandler}: {@code
 *       tito.handler.latency} (a timer tagged with the outcome), {@code tito.events.handled},
 *       {@code tito.events.failed} (each failure is retried or, at the last attempt,
 *       dead-lettered). This process's handlers only.
 *   <li><b>Commits</b> of an engine wrapped by {@link #engine}: {@code tito.commit.latency} (by
 *       outcome) and {@code tito.commit.conflicts}.
 * </ul>
 *
 * <p>The event store's projections and subscription groups (read from the store at each refresh):
 * {@code tito.projection.lag}, {@code tito.projection.dead.letters}, {@code
 * tito.projection.paused}, tagged {@code kind} and {@code name}; projections wrapped by {@link
 * #projection} add {@code tito.projection.handled}, {@code tito.projection.failed} and {@code
 * tito.projection.latency}. The event store's hidden consumer topic is left out of the topic and
 * group meters (its positions are {@code $all} stamps, not counts).
 *
 * <p>Index builds run through the {@link TitoAdmin} report {@code tito.index.build.records} and
 * {@code tito.index.build.done}. Thread-safe.
 */
public final class TitoMetrics implements MeterBinder {

  private final TitoAdmin admin;
  private final EventMeters events;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(Map.of()));
  /** Per registry bound (registries compare by identity), the keys of the meters registered. */
  private final Map<MeterRegistry, Set<String>> registered = new ConcurrentHashMap<>();

  private TitoMetrics(TitoAdmin admin) {
    this.admin = admin;
    this.events = new EventMeters(admin);
  }

  /** Metrics of the store behind {@code admin}; bind them to a registry with {@link #bindTo}. */
  public static TitoMetrics of(TitoAdmin admin) {
    if (admin == null) {
      throw new InvalidArgumentException("admin needed", Map.of());
    }
    return new TitoMetrics(admin);
  }

  /** Registers the store-state meters in {@code registry} and reads the state once. */
  @Override
  public void bindTo(MeterRegistry registry) {
    registered.putIfAbsent(registry, ConcurrentHashMap.newKeySet());
    refresh();
  }

  /**
   * Reads topics, groups and index builds into the gauges (a consistent snapshot per group), and
   * registers the meters of topics and groups that appeared since the last call.
   */
  public void refresh() {
    Map<String, GroupInfo> groups = new HashMap<>();
    Map<String, Long> deadLettered = new HashMap<>();
    Map<String, Long> published = new HashMap<>();
    for (TopicInfo t : admin.topics()) {
      if (t.name().equals(EventStore.CONSUMER_TOPIC)) {
        continue; // its groups' positions are $all stamps: see the projection meters
      }
      published.put(t.name(), t.events());
      for (String g : t.groups()) {
        try {
          groups.put(t.name() + '\0' + g, admin.group(t.name(), g));
          deadLettered.put(t.name() + '\0' + g, admin.deadLetteredTotal(t.name(), g));
        } catch (NotFoundException e) {
          // deleted between the two reads
        }
      }
    }
    Snapshot s = new Snapshot(groups, published, admin.indexBuilds(), deadLettered);
    snapshot.set(s);
    events.refresh();
    registered.forEach((r, keys) -> {
      register(r, keys, s);
      events.register(r, keys);
    });
  }

  private void register(MeterRegistry r, Set<String> registered, Snapshot s) {
    for (String topic : s.published.keySet()) {
      if (registered.add("t" + topic)) {
        FunctionCounter.builder("tito.events.published", snapshot,
                ref -> ref.get().published.getOrDefault(topic, 0L))
            .description("Events logged in the topic (all processes)").tag("topic", topic)
            .register(r);
      }
    }
    for (GroupInfo g : s.groups.values()) {
      String key = g.topic() + '\0' + g.group();
      Tags tags = Tags.of("topic", g.topic(), "group", g.group());
      if (registered.add("g" + key)) {
        FunctionCounter.builder("tito.events.consumed", snapshot,
                ref -> ref.get().sum(key, PartitionStatus::checkpoint))
            .description("Events the group passed: handled or dead-lettered").tags(tags)
            .register(r);
        FunctionCounter.builder("tito.lease.changes", snapshot,
                ref -> ref.get().sum(key, PartitionStatus::epoch))
            .description("Lease changes of the group: new owners and resets").tags(tags)
            .register(r);
        FunctionCounter.builder("tito.events.dead.lettered", snapshot,
                ref -> ref.get().deadLettered.getOrDefault(key, 0L))
            .description("Events the group dead-lettered (all processes; requeue and delete "
                + "do not lower it)").tags(tags).register(r);
        Gauge.builder("tito.dead.letters", snapshot, ref -> ref.get().deadLetters(key))
            .description("Dead letters waiting for an operator").tags(tags).register(r);
        Gauge.builder("tito.partitions.unowned", snapshot, ref -> ref.get().unowned(key))
            .description("Partitions whose lease no live worker holds").tags(tags).register(r);
      }
      for (PartitionStatus p : g.partitions()) {
        int partition = p.partition();
        if (registered.add("p" + key + '\0' + partition)) {
          Gauge.builder("tito.group.lag", snapshot, ref -> ref.get().lag(key, partition))
              .description("Events logged but not yet consumed by the group")
              .tags(tags.and("partition", Integer.toString(partition))).register(r);
        }
      }
    }
    for (String build : s.builds.keySet()) {
      if (registered.add("b" + build)) {
        String[] parts = build.split("/", 2);
        Tags tags = Tags.of("table", parts[0], "index", parts[1]);
        Gauge.builder("tito.index.build.records", snapshot, ref -> ref.get().buildRecords(build))
            .description("Records indexed by the index build").tags(tags).register(r);
        Gauge.builder("tito.index.build.done", snapshot, ref -> ref.get().buildDone(build))
            .description("1 once the index is readable").tags(tags).register(r);
      }
    }
  }

  /**
   * {@code handler}, timed and counted in {@code registry}: {@code tito.handler.latency},
   * {@code tito.events.handled}, {@code tito.events.failed}, tagged with topic and group.
   */
  public static EventHandler handler(MeterRegistry registry, String topic, String group,
      EventHandler handler) {
    HandlerMeters m = new HandlerMeters(registry, topic, group);
    return event -> m.run(() -> {
      handler.handle(event);
      return null;
    });
  }

  /** Like {@link #handler} for a transactional handler. */
  public static TransactionalEventHandler transactionalHandler(MeterRegistry registry,
      String topic, String group, TransactionalEventHandler handler) {
    HandlerMeters m = new HandlerMeters(registry, topic, group);
    return (tx, event) -> m.run(() -> {
      handler.handle(tx, event);
      return null;
    });
  }

  /**
   * {@code projection}, timed and counted in {@code registry}: {@code tito.projection.latency}
   * (by outcome), {@code tito.projection.handled}, {@code tito.projection.failed}, tagged with its
   * name. Start (and register with {@link EventsAdmin#register}) the wrapper.
   */
  public static Projection projection(MeterRegistry registry, Projection projection) {
    if (registry == null || projection == null) {
      throw new InvalidArgumentException("registry and projection needed", Map.of());
    }
    return EventMeters.wrap(registry, projection);
  }

  /** {@code engine}, with its commits timed and its conflicts counted in {@code registry}. */
  public static Engine engine(MeterRegistry registry, Engine engine) {
    return new MeteredEngine(engine, registry);
  }

  /** The meters of one wrapped handler. */
  private static final class HandlerMeters {
    private final Timer ok;
    private final Timer failedTimer;
    private final Counter handled;
    private final Counter failed;

    HandlerMeters(MeterRegistry r, String topic, String group) {
      Tags tags = Tags.of("topic", topic, "group", group);
      ok = Timer.builder("tito.handler.latency").tags(tags).tag("outcome", "ok").register(r);
      failedTimer = Timer.builder("tito.handler.latency").tags(tags).tag("outcome", "failed")
          .register(r);
      handled = Counter.builder("tito.events.handled").tags(tags).register(r);
      failed = Counter.builder("tito.events.failed")
          .description("Handler failures: each is retried or dead-lettered").tags(tags).register(r);
    }

    interface Call {
      Object call() throws Exception;
    }

    void run(Call call) throws Exception {
      long start = System.nanoTime();
      try {
        call.call();
        ok.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        handled.increment();
      } catch (Exception | Error e) {
        failedTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        failed.increment();
        throw e;
      }
    }
  }

  /** One refresh's state. */
  private record Snapshot(Map<String, GroupInfo> groups, Map<String, Long> published,
      Map<String, IndexBuildProgress> builds, Map<String, Long> deadLettered) {

    Snapshot(Map<String, GroupInfo> groups) {
      this(groups, Map.of(), Map.of(), Map.of());
    }

    double sum(String key, java.util.function.ToLongFunction<PartitionStatus> f) {
      GroupInfo g = groups.get(key);
      return g == null ? 0 : g.partitions().stream().mapToLong(f).sum();
    }

    double lag(String key, int partition) {
      GroupInfo g = groups.get(key);
      return g == null || partition >= g.partitions().size() ? Double.NaN
          : g.partitions().get(partition).lag();
    }

    double deadLetters(String key) {
      GroupInfo g = groups.get(key);
      return g == null ? Double.NaN : g.deadLetters();
    }

    double unowned(String key) {
      GroupInfo g = groups.get(key);
      return g == null ? Double.NaN : g.unowned();
    }

    double buildRecords(String key) {
      IndexBuildProgress p = builds.get(key);
      return p == null ? Double.NaN : p.recordsScanned();
    }

    double buildDone(String key) {
      IndexBuildProgress p = builds.get(key);
      return p == null ? Double.NaN : p.done() ? 1 : 0;
    }
  }
}
