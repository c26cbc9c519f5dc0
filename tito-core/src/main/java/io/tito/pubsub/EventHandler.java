package io.tito.pubsub;

/**
 * Handles events of a subscription with at-least-once delivery: the checkpoint advances in a
 * transaction after {@code handle} returns, so a crash in between hands the event over again. Use
 * {@link Event#id()} to deduplicate. Throwing anything counts as a failed attempt (retried with
 * backoff, then dead-lettered).
 *
 * <p>Called for one partition at a time in position order, possibly concurrently for different
 * partitions (on virtual threads).
 */
@FunctionalInterface
public interface EventHandler {
  void handle(Event event) throws Exception;
}
