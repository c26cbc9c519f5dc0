package io.tito.internal.pubsub;

import io.tito.tuple.Tuple;
import java.util.UUID;

/**
 * A requeued dead letter on its group's requeue list, stored at ("g", topic, group, p, "redo",
 * n). It keeps its own attempt count, next attempt time and last error, apart from the log event
 * at the checkpoint (whose count is in {@link GroupState}), so neither counts the other's failures.
 * Entries written before the count existed have three elements and decode with no attempts.
 *
 * @param position the event's log position
 * @param bytes the stored event
 * @param id the dead letter's id
 * @param attempts failed attempts since it was requeued
 * @param retryAtMillis earliest time of the next attempt after a failure
 * @param lastError description of the last failure, or null
 */
public record Requeued(long position, byte[] bytes, UUID id, int attempts, long retryAtMillis,
    String lastError) {

  static Requeued of(long position, byte[] bytes, UUID id) {
    return new Requeued(position, bytes, id, 0, 0, null);
  }

  public byte[] encode() {
    return Tuple.of(position, bytes, id, attempts, retryAtMillis, lastError).pack();
  }

  public static Requeued decode(byte[] value) {
    Tuple t = Tuple.unpack(value);
    if (t.size() < 6) {
      return of(t.getLong(0), t.getBytes(1), t.getUuid(2));
    }
    return new Requeued(t.getLong(0), t.getBytes(1), t.getUuid(2), (int) t.getLong(3),
        t.getLong(4), t.isNull(5) ? null : t.getString(5));
  }

  Requeued failed(long retryAt, String error) {
    return new Requeued(position, bytes, id, attempts + 1, retryAt, error);
  }
}
