package io.tito.rocksdb;

import io.tito.KeyRange;
import io.tito.spi.ChangeFeed;
import io.tito.spi.WriteSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keys and values of the engine's metadata column family ({@code tito-meta}): the last commit
 * version, retention holds, and the change log kept while a hold exists. A logged commit is
 * {@code time, ranges(begin, end)*, writes(key, present, value?)*} with int lengths and counts.
 */
final class ChangeLogCodec {

  static final byte[] VERSION_KEY = "version".getBytes(StandardCharsets.US_ASCII);
  /** The stamp base (see {@link io.tito.spi.CommitSequencer#stampBase}), absent while 0. */
  static final byte[] STAMP_BASE_KEY = "stamp_base".getBytes(StandardCharsets.US_ASCII);
  static final byte[] HOLD_PREFIX = "hold/".getBytes(StandardCharsets.US_ASCII);
  static final byte[] LOG_PREFIX = "log/".getBytes(StandardCharsets.US_ASCII);

  private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

  private ChangeLogCodec() {}

  static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    BIG_ENDIAN_LONG.set(b, 0, v);
    return b;
  }

  static long toLong(byte[] b) {
    return ByteBuffer.wrap(b).getLong();
  }

  static byte[] holdKey(String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] k = new byte[HOLD_PREFIX.length + n.length];
    System.arraycopy(HOLD_PREFIX, 0, k, 0, HOLD_PREFIX.length);
    System.arraycopy(n, 0, k, HOLD_PREFIX.length, n.length);
    return k;
  }

  static String holdName(byte[] key) {
    return new String(key, HOLD_PREFIX.length, key.length - HOLD_PREFIX.length, StandardCharsets.US_ASCII);
  }

  /** The log key of {@code version}; versions are not negative, so byte order is version order. */
  static byte[] logKey(long version) {
    byte[] k = new byte[LOG_PREFIX.length + 8];
    System.arraycopy(LOG_PREFIX, 0, k, 0, LOG_PREFIX.length);
    ByteBuffer.wrap(k, LOG_PREFIX.length, 8).putLong(version);
    return k;
  }

  static long logVersion(byte[] key) {
    return ByteBuffer.wrap(key, LOG_PREFIX.length, 8).getLong();
  }

  static byte[] encode(WriteSet writes, long timeMillis) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, writes.bytes() + 64));
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeLong(timeMillis);
      out.writeInt(writes.clearedRangeMap().size());
      for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
        writeBytes(out, r.getKey());
        writeBytes(out, r.getValue());
      }
      out.writeInt(writes.points().size());
      for (Map.Entry<byte[], byte[]> w : writes.points().entrySet()) {
        writeBytes(out, w.getKey());
        out.writeBoolean(w.getValue() != null);
        if (w.getValue() != null) {
          writeBytes(out, w.getValue());
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ChangeFeed.Commit decode(long version, byte[] value) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      long time = in.readLong();
      int ranges = in.readInt();
      List<KeyRange> cleared = new ArrayList<>(ranges);
      for (int i = 0; i < ranges; i++) {
        cleared.add(new KeyRange(readBytes(in), readBytes(in)));
      }
      int points = in.readInt();
      List<ChangeFeed.Write> writes = new ArrayList<>(points);
      for (int i = 0; i < points; i++) {
        byte[] k = readBytes(in);
        writes.add(new ChangeFeed.Write(k, in.readBoolean() ? readBytes(in) : null));
      }
      return new ChangeFeed.Commit(version, time, cleared, writes);
    } catch (IOException e) {
      throw new UncheckedIOException("change log entry of version " + version + " is damaged", e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }
}
