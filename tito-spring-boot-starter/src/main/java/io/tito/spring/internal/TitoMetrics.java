package io.tito.spring.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tito.Tito;
import io.tito.pubsub.Event;
import io.tito.pubsub.PartitionLag;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Micrometer meters of the store and its listeners:
 *
 * <ul>
 *   <li>{@code tito.topic.published} (function counter, tag {@code topic}): events ever logged in
 *       the topic, by any process (the sum of the partitions' heads; scheduled events count once
 *       released). Read from the store at each scrape.
 *   <li>{@code tito.listener.handled} (counter, tags {@code topic}, {@code group}): handler calls of
 *       this process that returned normally.
 *   <li>{@code tito.listener.retried}: handler calls that failed and will be retried.
 *   <li>{@code tito.listener.dead.lettered}: handler calls that failed at the last attempt (the
 *       event went to the group's dead letters).
 *   <li>{@code tito.listener.lag} (gauge): events the group has yet to handle, summed over
 *       partitions; read from the store at each scrape.
 * </ul>
 *
 * <p>Attempts are counted in this process: an event whose failures straddle a restart or a
 * partition moving to another worker may be counted as retried where the next owner dead-letters
 * it. A meter read from the store reports NaN while the store is unreachable or closed.
 */
public final class TitoMetrics implements ListenerObserver {

  /** Failed attempts of events still being retried here; bounded, see {@link #MAX_TRACKED}. */
  private static final int MAX_TRACKED = 100_000;

  private final Tito tito;
  private final ObjectProvider<MeterRegistry> registries;
  private final Set<String> declaredTopics;
  private volatile MeterRegistry registry;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Map<String, Integer> maxAttempts = new ConcurrentHashMap<>();
  private final Set<String> publishedTopics = ConcurrentHashMap.newKeySet();

  /**
   * Meters of {@code tito}, registered in the application's unique (or primary) MeterRegistry when
   * the listener container starts; none if there is no such registry.
   */
  public TitoMetrics(Tito tito, ObjectProvider<MeterRegistry> registries, Set<String> topics) {
    this.tito = tito;
    this.registries = registries;
    this.declaredTopics = Set.copyOf(topics);
  }

  @Override
  public void starting() {
    if (registry == null) {
      registry = registries.getIfUnique();
    }
    declaredTopics.forEach(this::watchTopic);
  }

  private void watchTopic(String topic) {
    if (registry == null || !publishedTopics.add(topic)) {
      return;
    }
    FunctionCounter.builder("tito.topic.published", this, m -> m.published(topic))
        .description("Events ever logged in the topic (all processes)")
        .tags(Tags.of("topic", topic))
        .register(registry);
  }

  @Override
  public void started(String topic, String group, int attempts) {
    maxAttempts.put(topic + "\u0000" + group, attempts);
    watchTopic(topic);
    if (registry == null) {
      return;
    }
    Gauge.builder("tito.listener.lag", this, m -> m.lag(topic, group))
        .description("Events the consumer group has yet to handle")
        .tags(tags(topic, group))
        .register(registry);
  }

  @Override
  public void handled(String topic, String group, Event event) {
    failures.remove(group + "\u0000" + event.id());
    if (registry == null) {
      return;
    }
    Counter.builder("tito.listener.handled").tags(tags(topic, group)).register(registry)
        .increment();
  }

  @Override
  public void failed(String topic, String group, Event event) {
    if (failures.size() >= MAX_TRACKED) {
      failures.clear();
    }
    int attempt = failures.merge(group + "\u0000" + event.id(), 1, Integer::sum);
    int max = maxAttempts.getOrDefault(topic + "\u0000" + group, Integer.MAX_VALUE);
    String name;
    if (attempt >= max) {
      failures.remove(group + "\u0000" + event.id());
      name = "tito.listener.dead.lettered";
    } else {
      name = "tito.listener.retried";
    }
    if (registry != null) {
      Counter.builder(name).tags(tags(topic, group)).register(registry).increment();
    }
  }

  private static Tags tags(String topic, String group) {
    return Tags.of("topic", topic, "group", group);
  }

  private double published(String topic) {
    try {
      int partitions = tito.topics().topic(topic).partitions();
      long sum = 0;
      for (int p = 0; p < partitions; p++) {
        sum += tito.topics().head(topic, p);
      }
      return sum;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private double lag(String topic, String group) {
    try {
      long sum = 0;
      for (PartitionLag l : tito.topics().lag(topic, group)) {
        sum += l.lag();
      }
      return sum;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
