package io.tito.events;

import io.tito.Stamp;

/**
 * What an append did.
 *
 * @param streamId the stream
 * @param firstVersion the version of the first event appended
 * @param lastVersion the stream's version after the append (its last event's)
 * @param firstPosition the {@code $all} position of the first event, or null when not known: the
 *     append ran in the caller's transaction (positions are fixed when it commits) or was a
 *     recognised retry ({@link #duplicate}). The events of one append have consecutive positions
 *     in one commit: {@code firstPosition} then {@code firstPosition.next()}, and so on.
 * @param duplicate whether the append was recognised as a retry of an earlier one (by idempotency
 *     key or event ids) and wrote nothing
 */
public record AppendResult(String streamId, long firstVersion, long lastVersion, Stamp firstPosition,
    boolean duplicate) {

  /** The number of events the append covers. */
  public int count() {
    return (int) (lastVersion - firstVersion + 1);
  }
}
