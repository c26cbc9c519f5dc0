package io.tito.admin;

import io.tito.events.ProjectionStatus;

/**
 * Where one projection or subscription group stands, as the operator tools show it.
 *
 * @param kind projection or subscription group
 * @param status its position, the head of {@code $all}, lag, paused flag and failures
 * @param deadLetters its dead letters, counted up to {@link TitoAdmin#MAX_LIMIT}
 * @param registered whether its handler is registered with {@link EventsAdmin#register} in this
 *     process, so that it can be rebuilt and run here (always false for subscriptions)
 */
public record EventConsumerInfo(EventConsumerKind kind, ProjectionStatus status, int deadLetters,
    boolean registered) {

  /** Its name. */
  public String name() {
    return status.name();
  }
}
