package io.tito.pubsub;

import java.time.Instant;
import java.util.UUID;

/**
 * What {@link Topics#publish} assigned, valid once the publishing transaction commits. Publishing
 * a message whose {@linkplain Message#withId id} the topic already holds returns the receipt of
 * the first publish (a scheduled event's position stays {@code -1} there even once it is due).
 *
 * @param id the event's unique id
 * @param topic topic name
 * @param partition the partition of the key
 * @param position the log position, or {@code -1} for a scheduled event (it gets its position
 *     when it becomes due and moves into the log)
 * @param deliverAt the scheduled time, or null
 */
public record PublishReceipt(UUID id, String topic, int partition, long position, Instant deliverAt) {

  /** Whether the event waits for its due time instead of entering the log at once. */
  public boolean scheduled() {
    return position < 0;
  }
}
