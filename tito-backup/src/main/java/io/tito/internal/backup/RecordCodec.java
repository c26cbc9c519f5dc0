package io.tito.internal.backup;

import io.tito.KeyRange;
import io.tito.spi.ChangeFeed;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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
  public static void writeEntry(RecordBuffer out, byte[] key, byte[] value) {
    writeBytes(out, key);
    writeBytes(out, value);
  }

  /** Appends one commit. */
  public static void writeCommit(RecordBuffer out, ChangeFeed.Commit commit) {
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

  /** Reads one entry, or returns {@code null} at the clean end of the records. */
  public static byte[][] readEntry(Input in) throws IOException {
    if (in.atEnd()) {
      return null;
    }
    byte[] key = in.bytes();
    return new byte[][] {key, in.bytes()};
  }

  /**
   * Where the entries of a full chunk lie in {@code data}, without copying them: four ints per
   * entry (key offset, key length, value offset, value length), {@code count} entries.
   */
  public record EntryRanges(byte[] data, int[] ranges, int count) {}

  /** Every entry of {@code data} (a full chunk's records), located in place. */
  public static EntryRanges entryRanges(byte[] data, long expectedEntries) throws IOException {
    Input in = new Input(data);
    int[] r = new int[(int) Math.min(4L * Math.max(expectedEntries, 1), 1 << 20)]; // grows past 4 MiB if needed
    int n = 0;
    while (!in.atEnd()) {
      if (r.length < 4 * n + 4) {
        r = Arrays.copyOf(r, r.length * 2);
      }
      int keyLength = in.skipBytes();
      r[4 * n] = in.pos - keyLength;
      r[4 * n + 1] = keyLength;
      int valueLength = in.skipBytes();
      r[4 * n + 2] = in.pos - valueLength;
      r[4 * n + 3] = valueLength;
      n++;
    }
    return new EntryRanges(data, r, n);
  }

  /** Reads one commit, or returns {@code null} at the clean end of the records. */
  public static ChangeFeed.Commit readCommit(Input in) throws IOException {
    if (in.atEnd()) {
      return null;
    }
    int marker = in.unsignedByte();
    if (marker != COMMIT_MARKER) {
      throw new IOException("commit record expected, found byte " + marker);
    }
    long version = in.longValue();
    long time = in.longValue();
    long rangeCount = in.varint();
    List<KeyRange> ranges = new ArrayList<>();
    for (long i = 0; i < rangeCount; i++) {
      ranges.add(new KeyRange(in.bytes(), in.bytes()));
    }
    long n = in.varint();
    List<ChangeFeed.Write> writes = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      byte[] key = in.bytes();
      int flag = in.unsignedByte();
      if (flag > 1) {
        throw new IOException("write flag must be 0 or 1, found " + flag);
      }
      writes.add(new ChangeFeed.Write(key, flag == 1 ? in.bytes() : null));
    }
    return new ChangeFeed.Commit(version, time, ranges, writes);
  }

  /**
   * Records in a byte array, read from the front without copying the array (each byte string read
   * is a copy of its own bytes). Not thread-safe.
   */
  public static final class Input {
    private final byte[] data;
    private int pos;

    public Input(byte[] data) {
      this.data = data;
    }

    boolean atEnd() {
      return pos >= data.length;
    }

    int unsignedByte() throws EOFException {
      if (pos >= data.length) {
        throw new EOFException("record ends early");
      }
      return data[pos++] & 0xFF;
    }

    long longValue() throws EOFException {
      if (data.length - pos < 8) {
        throw new EOFException("record ends inside a number");
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (data[pos++] & 0xFF);
      }
      return v;
    }

    long varint() throws IOException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= data.length) {
          throw new EOFException("record ends inside a length");
        }
        int b = data[pos++];
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new IOException("length is longer than 64 bits");
    }

    /** Skips one byte string, returning its length (its bytes end at the new position). */
    int skipBytes() throws IOException {
      long n = varint();
      if (n > data.length - pos) {
        throw new EOFException("byte string of " + n + " bytes runs past the end of the chunk");
      }
      pos += (int) n;
      return (int) n;
    }

    byte[] bytes() throws IOException {
      long n = varint();
      if (n > data.length - pos) {
        throw new EOFException("byte string of " + n + " bytes runs past the end of the chunk");
      }
      int from = pos;
      pos += (int) n;
      return Arrays.copyOfRange(data, from, pos);
    }
  }

  static void writeBytes(RecordBuffer out, byte[] b) {
    writeVarint(out, b.length);
    out.write(b, 0, b.length);
  }

  static void writeVarint(RecordBuffer out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static void writeLong(RecordBuffer out, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
  }
}
