package io.tito.internal.pubsub;

import io.tito.tuple.Tuple;

/**
 * Ownership of one partition within a group, stored at ("g", topic, group, p, "lease").
 *
 * @param owner worker id, or null when released
 * @param epoch increases with every new owner
 * @param expiryMillis when the lease lapses unless renewed
 */
public record Lease(String owner, long epoch, long expiryMillis) {

  static final Lease NONE = new Lease(null, 0, 0);

  public byte[] encode() {
    return Tuple.of(owner, epoch, expiryMillis).pack();
  }

  public static Lease decode(byte[] bytes) {
    if (bytes == null) {
      return NONE;
    }
    Tuple t = Tuple.unpack(bytes);
    return new Lease(t.isNull(0) ? null : t.getString(0), t.getLong(1), t.getLong(2));
  }

  boolean heldBy(String worker, long ep, long nowMillis) {
    return worker.equals(owner) && epoch == ep && expiryMillis > nowMillis;
  }

  boolean free(long nowMillis) {
    return owner == null || expiryMillis <= nowMillis;
  }
}
