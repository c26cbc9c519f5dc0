package io.tito.pubsub;

import java.time.Duration;
import java.util.Set;

/**
 * One worker of a consumer group, returned by {@link Topics#subscribe}. It takes part in the
 * group's partition assignment, processes the partitions it holds leases for, and stops when
 * closed. Thread-safe.
 */
public interface Subscription extends AutoCloseable {

  /** This worker's unique id within the group. */
  String workerId();

  /** Partitions this worker currently processes (a snapshot). */
  Set<Integer> ownedPartitions();

  /**
   * Stops gracefully: stops fetching, lets in-flight handlers finish and commit within {@code
   * timeout}, releases leases and leaves the group. Handlers still running after the timeout are
   * interrupted; their events are not counted as failed attempts and are delivered again later.
   * Idempotent. Do not call it from this subscription's own handler (it would wait for itself
   * until the timeout).
   *
   * @return whether everything finished within the timeout
   */
  boolean close(Duration timeout);

  /** {@link #close(Duration)} with the subscription's {@linkplain SubscribeOptions#shutdownTimeout shutdown timeout}. */
  @Override
  void close();
}
