package io.tito.pubsub;

/**
 * Handles events of a subscription with at-least-once delivery: the checkpoint advances in a
 * transaction after {@code handle} returns, so a crash in between hands the event over again. Use
 * {@link Event#id()} to deduplicate. Throwing anything counts as a failed attempt (retried with
 * backoff, then dead-lettered).
 *
 * <p>Called for one partition at a time in position order, possibly concurrently for different
 * partitions, each on a thread of its own: a platform thread for the first 256 partition runners
 * of the process, a virtual thread beyond.
 */
@FunctionalInterface
public interface EventHandler {
  void handle(Event event) throws Exception;
}
