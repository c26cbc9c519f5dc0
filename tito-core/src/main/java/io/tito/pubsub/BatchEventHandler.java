package io.tito.pubsub;

import java.util.List;

/**
 * Handles consecutive events of one partition together, at least once: the checkpoint advances
 * past the whole batch in one transaction after {@code handle} returns. Batches hold up to
 * {@link SubscribeOptions#fetchSize} events, in position order.
 *
 * <p>If a batch fails, its events are handed over again one per call (each a batch of one), so a
 * failing event is retried and dead-lettered on its own and the others are not held back; a
 * failed batch does not count as an attempt. Events may therefore be seen more than once: use
 * {@link Event#id()} to deduplicate.
 */
@FunctionalInterface
public interface BatchEventHandler {
  void handle(List<Event> events) throws Exception;
}
