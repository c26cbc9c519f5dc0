package io.tito.internal.pubsub;

import java.util.UUID;

/**
 * One stored event to hand to a handler, as a {@link Source} read it: a requeued dead letter (with
 * its own attempt count) or a log event (the one at the checkpoint carries the group state's
 * count, later ones none). Immutable.
 *
 * @param requeued whether it is a requeued entry rather than a log event
 * @param requeueNumber the requeued entry's number in its list (-1 for a log event)
 * @param position the event's log position
 * @param bytes the stored event
 * @param requeueId the requeued dead letter's id (null for a log event)
 * @param attempts failed attempts counted for this item so far
 * @param retryAtMillis earliest time of the next attempt after a failure (0: now)
 */
record Item(boolean requeued, long requeueNumber, long position, byte[] bytes, UUID requeueId,
    int attempts, long retryAtMillis) {

  static Item ofRequeued(long number, Requeued r) {
    return new Item(true, number, r.position(), r.bytes(), r.id(), r.attempts(), r.retryAtMillis());
  }

  static Item ofLog(long position, byte[] bytes, int attempts, long retryAtMillis) {
    return new Item(false, -1, position, bytes, null, attempts, retryAtMillis);
  }

  /**
   * A log event read with the group's {@code state}: the event at the checkpoint carries the
   * state's attempts and retry time, later ones none.
   */
  static Item ofLog(long position, byte[] bytes, GroupState state) {
    boolean atCheckpoint = position == state.checkpoint();
    return ofLog(position, bytes, atCheckpoint ? state.attempts() : 0,
        atCheckpoint ? state.retryAtMillis() : 0);
  }
}
