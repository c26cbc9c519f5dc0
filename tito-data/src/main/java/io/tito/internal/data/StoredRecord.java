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
  private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
  private static final java.lang.invoke.VarHandle BIG_ENDIAN_INT =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);
  private static final int DELETED = 1;
  private static final int TIMESTAMPS = 2;

  /** The bytes to store. */
  public byte[] encode() {
    boolean ts = createdAt != null && updatedAt != null;
    int header = 10 + (ts ? 24 : 0);
    byte[] out = new byte[header + body.length];
    out[0] = FORMAT;
    out[1] = (byte) ((deleted ? DELETED : 0) | (ts ? TIMESTAMPS : 0));
    BIG_ENDIAN_LONG.set(out, 2, version);
    if (ts) {
      BIG_ENDIAN_LONG.set(out, 10, createdAt.getEpochSecond());
      BIG_ENDIAN_INT.set(out, 18, createdAt.getNano());
      BIG_ENDIAN_LONG.set(out, 22, updatedAt.getEpochSecond());
      BIG_ENDIAN_INT.set(out, 30, updatedAt.getNano());
    }
    System.arraycopy(body, 0, out, header, body.length);
    return out;
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
