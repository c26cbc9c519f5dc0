package io.tito.internal.backup;

import io.tito.KeyRange;
import io.tito.spi.ChangeFeed;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records inside a chunk (before compression). A full chunk is a sequence of entries
 * {@code key, value}; an incremental chunk a sequence of commits {@code version, time,
 * ranges(begin, end)*, writes(key, flag, value?)*}. Byte strings are a varint length and the
 * bytes; counts are varints; version and time are 8-byte big-endian.
 */
public final class RecordCodec {

  private static final int COMMIT_MARKER = 0xC1;

  private RecordCodec() {}

  /** Appends one key-value entry. */
  public static void writeEntry(ByteArrayOutputStream out, byte[] key, byte[] value) {
    writeBytes(out, key);
    writeBytes(out, value);
  }

  /** Appends one commit. */
  public static void writeCommit(ByteArrayOutputStream out, ChangeFeed.Commit commit) {
    out.write(COMMIT_MARKER);
    writeLong(out, commit.version());
    writeLong(out, commit.timeMillis());
    writeVarint(out, commit.clearedRanges().size());
    for (KeyRange r : commit.clearedRanges()) {
      writeBytes(out, r.begin());
      writeBytes(out, r.end());
    }
    writeVarint(out, commit.writes().size());
    for (ChangeFeed.Write w : commit.writes()) {
      writeBytes(out, w.key());
      byte[] v = w.value();
      out.write(v == null ? 0 : 1);
      if (v != null) {
        writeBytes(out, v);
      }
    }
  }

  /** Reads one entry, or returns {@code null} at the clean end of the stream. */
  public static byte[][] readEntry(DataInputStream in) throws IOException {
    byte[] key = readBytesOrEnd(in);
    if (key == null) {
      return null;
    }
    return new byte[][] {key, readBytes(in)};
  }

  /** Reads one commit, or returns {@code null} at the clean end of the stream. */
  public static ChangeFeed.Commit readCommit(DataInputStream in) throws IOException {
    int marker = in.read();
    if (marker < 0) {
      return null;
    }
    if (marker != COMMIT_MARKER) {
      throw new IOException("commit record expected, found byte " + marker);
    }
    long version = in.readLong();
    long time = in.readLong();
    List<KeyRange> ranges = ranges(in);
    long n = readVarint(in);
    List<ChangeFeed.Write> writes = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      byte[] key = readBytes(in);
      int flag = in.readUnsignedByte();
      if (flag > 1) {
        throw new IOException("write flag must be 0 or 1, found " + flag);
      }
      writes.add(new ChangeFeed.Write(key, flag == 1 ? readBytes(in) : null));
    }
    return new ChangeFeed.Commit(version, time, ranges, writes);
  }

  static void writeBytes(ByteArrayOutputStream out, byte[] b) {
    writeVarint(out, b.length);
    out.write(b, 0, b.length);
  }

  static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static void writeLong(ByteArrayOutputStream out, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
  }

  static long readVarint(DataInputStream in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("record ends inside a length");
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("length is longer than 64 bits");
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    long n = readVarint(in);
    if (n > Integer.MAX_VALUE - 16) {
      throw new IOException("byte string of " + n + " bytes is too long");
    }
    byte[] b = new byte[(int) n];
    in.readFully(b);
    return b;
  }

  private static byte[] readBytesOrEnd(DataInputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    long n = first & 0x7F;
    if ((first & 0x80) != 0) {
      n |= readVarint(in) << 7;
    }
    if (n > Integer.MAX_VALUE - 16) {
      throw new IOException("byte string of " + n + " bytes is too long");
    }
    byte[] b = new byte[(int) n];
    in.readFully(b);
    return b;
  }

  static List<KeyRange> ranges(DataInputStream in) throws IOException {
    long n = readVarint(in);
    List<KeyRange> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(new KeyRange(readBytes(in), readBytes(in)));
    }
    return out;
  }
}
