package io.tito.events;

import io.tito.InvalidArgumentException;
import io.tito.pubsub.SubscribeOptions;
import java.util.Map;

/**
 * Settings of an {@link EventSubscriptions event subscription}.
 *
 * @param filter the events handed over (by type and stream prefix); the others only move the
 *     checkpoint
 * @param start where a new group starts
 * @param maxInFlight most events fetched and handed over at once per group (back-pressure): the
 *     group reads no further until they are acked; 1 to 10,000
 * @param consumer the consumer core's settings: max attempts, backoff, lease timeout, heartbeat,
 *     handler timeout, shutdown timeout (its start position and fetch size are replaced by {@code
 *     start} and {@code maxInFlight})
 */
public record EventSubscriptionOptions(EventFilter filter, StartAt start, int maxInFlight,
    SubscribeOptions consumer) {

  /** Every event, from the beginning, 100 in flight, default consumer settings. */
  public static final EventSubscriptionOptions DEFAULTS =
      new EventSubscriptionOptions(EventFilter.ALL, StartAt.BEGINNING, 100, SubscribeOptions.DEFAULTS);

  public EventSubscriptionOptions {
    if (filter == null || start == null || consumer == null) {
      throw new InvalidArgumentException("filter, start and consumer must not be null", Map.of());
    }
    if (maxInFlight < 1 || maxInFlight > EventStore.MAX_READ_COUNT) {
      throw new InvalidArgumentException("maxInFlight must be 1 to " + EventStore.MAX_READ_COUNT,
          Map.of("maxInFlight", maxInFlight));
    }
  }

  public EventSubscriptionOptions withFilter(EventFilter value) {
    return new EventSubscriptionOptions(value, start, maxInFlight, consumer);
  }

  public EventSubscriptionOptions withStart(StartAt value) {
    return new EventSubscriptionOptions(filter, value, maxInFlight, consumer);
  }

  public EventSubscriptionOptions withMaxInFlight(int value) {
    return new EventSubscriptionOptions(filter, start, value, consumer);
  }

  public EventSubscriptionOptions withConsumer(SubscribeOptions value) {
    return new EventSubscriptionOptions(filter, start, maxInFlight, value);
  }

  SubscribeOptions coreOptions() {
    return consumer.toBuilder().fetchSize(maxInFlight).build();
  }
}
