package io.tito.events;

import io.tito.Stamp;

/**
 * Where a projection or subscription stands.
 *
 * @param name its name
 * @param position the last position it consumed ({@link Stamp#ZERO}: none)
 * @param head the highest position in {@code $all}
 * @param lag events in {@code $all} after {@code position} (of every type), counted up to
 *     {@value Projections#LAG_COUNT_LIMIT}
 * @param paused whether it is paused
 * @param attempts failed attempts of the event at its checkpoint
 * @param lastError the last failure at its checkpoint, or null
 */
public record ProjectionStatus(String name, Stamp position, Stamp head, long lag, boolean paused,
    int attempts, String lastError) {

  /** Whether it has consumed everything in {@code $all} (lag 0). */
  public boolean caughtUp() {
    return lag == 0;
  }
}
