package io.tito.events;

import io.tito.pubsub.DeadLetter;
import java.time.Instant;
import java.util.UUID;

/**
 * An event a projection or subscription gave up on after its max attempts.
 *
 * @param id the dead letter's id (for requeue and delete)
 * @param event the event, or null if its stored form could not be read
 * @param error the last failure
 * @param attempts attempts made
 * @param deadAt when it was dead-lettered
 */
public record EventDeadLetter(UUID id, RecordedEvent event, String error, int attempts, Instant deadAt) {

  static EventDeadLetter of(DeadLetter d, Reader reader) {
    RecordedEvent e;
    try {
      e = d.event() == null ? null : Consumers.decode(d.event(), reader);
    } catch (RuntimeException ex) {
      e = null;
    }
    return new EventDeadLetter(d.id(), e, d.error(), d.attempts(), d.deadAt());
  }
}
