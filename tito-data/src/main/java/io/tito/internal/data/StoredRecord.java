package io.tito.internal.data;

import io.tito.InvalidArgumentException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * A record value as stored at {@code (root, "t", table, id)}: a header, then the codec bytes.
 * Header: format byte {@code 1}; flags byte (bit 0 soft-deleted, bit 1 timestamps present);
 * version as a big-endian long; if timestamps are present, created and updated instants, each as
 * epoch second (long) and nano (int). Immutable.
 */
public record StoredRecord(long version, boolean deleted, Instant createdAt, Instant updatedAt,
    byte[] body) {

  private static final byte FORMAT = 1;
  private static final int DELETED = 1;
  private static final int TIMESTAMPS = 2;

  /** The bytes to store. */
  public byte[] encode() {
    boolean ts = createdAt != null && updatedAt != null;
    ByteBuffer b = ByteBuffer.allocate(10 + (ts ? 24 : 0) + body.length);
    b.put(FORMAT).put((byte) ((deleted ? DELETED : 0) | (ts ? TIMESTAMPS : 0))).putLong(version);
    if (ts) {
      b.putLong(createdAt.getEpochSecond()).putInt(createdAt.getNano());
      b.putLong(updatedAt.getEpochSecond()).putInt(updatedAt.getNano());
    }
    return b.put(body).array();
  }

  /**
   * Reads stored bytes.
   *
   * @throws InvalidArgumentException if the bytes are not a stored record of a known format
   */
  public static StoredRecord decode(byte[] bytes) {
    if (bytes == null || bytes.length < 10 || bytes[0] != FORMAT) {
      throw new InvalidArgumentException("stored record has an unknown format",
          Map.of("length", bytes == null ? -1 : bytes.length));
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.get();
    int flags = b.get();
    long version = b.getLong();
    Instant created = null;
    Instant updated = null;
    if ((flags & TIMESTAMPS) != 0) {
      if (bytes.length < 34) {
        throw new InvalidArgumentException("stored record is truncated",
            Map.of("length", bytes.length));
      }
      created = Instant.ofEpochSecond(b.getLong(), b.getInt());
      updated = Instant.ofEpochSecond(b.getLong(), b.getInt());
    }
    return new StoredRecord(version, (flags & DELETED) != 0, created, updated,
        Arrays.copyOfRange(bytes, b.position(), bytes.length));
  }
}
