package io.tito.log.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The bytes of a segment file (little-endian). A 64-byte header: magic, version, base offset,
 * creation time, a CRC32C of those 24 bytes, then the synced position (bytes of records the last
 * force covered, written after that force) and the sealing time (0 while active). Then frames,
 * each at an 8-byte aligned position: {@code int length+1} (0 = nothing yet, -1 = end of segment,
 * continue in the next file), {@code int crc32c} of the offset and payload, {@code long offset},
 * the payload, zero padding to 8 bytes. The length is written last with release semantics, so a
 * reader (in this or another process, through the shared page cache) never sees half a frame
 * unless the machine crashed.
 */
public final class SegmentFormat {

  /** 'TLOG'. */
  public static final int MAGIC = 0x474F4C54;
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 64;
  public static final int FRAME_HEADER_BYTES = 16;
  /** Room kept at the end of every segment for the end marker. */
  public static final int END_MARKER_BYTES = 8;
  public static final int END_MARKER = -1;
  public static final int SYNCED_POSITION_AT = 32;
  public static final int SEALED_MILLIS_AT = 40;
  public static final String SUFFIX = ".seg";

  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private SegmentFormat() {}

  /** The largest payload a segment of {@code segmentBytes} holds. */
  public static int maxPayload(int segmentBytes) {
    return ((segmentBytes - HEADER_BYTES - END_MARKER_BYTES) & ~7) - FRAME_HEADER_BYTES;
  }

  /** Bytes a frame of {@code payload} bytes takes, padding included. */
  public static int frameBytes(int payload) {
    return (FRAME_HEADER_BYTES + payload + 7) & ~7;
  }

  public static String fileName(long baseOffset) {
    return String.format("%020d", baseOffset) + SUFFIX;
  }

  /** Writes the header of a new segment into {@code buf} (little-endian, absolute). */
  public static void writeHeader(ByteBuffer buf, long baseOffset, long createdMillis) {
    buf.putInt(0, MAGIC);
    buf.putInt(4, VERSION);
    buf.putLong(8, baseOffset);
    buf.putLong(16, createdMillis);
    buf.putInt(24, headerCrc(buf));
    buf.putLong(SYNCED_POSITION_AT, HEADER_BYTES);
    buf.putLong(SEALED_MILLIS_AT, 0);
  }

  /** Null if the header is valid, else why not. */
  public static String headerProblem(ByteBuffer buf, long expectedBase) {
    if (buf.capacity() < HEADER_BYTES) {
      return "file shorter than a segment header";
    }
    if (buf.getInt(0) != MAGIC || buf.getInt(4) != VERSION) {
      return "not a log segment (bad magic or version)";
    }
    if (buf.getInt(24) != headerCrc(buf)) {
      return "segment header checksum mismatch";
    }
    if (buf.getLong(8) != expectedBase) {
      return "segment header names base offset " + buf.getLong(8) + ", file name " + expectedBase;
    }
    return null;
  }

  private static int headerCrc(ByteBuffer buf) {
    CRC32C crc = new CRC32C();
    ByteBuffer d = buf.duplicate();
    d.limit(24).position(0);
    crc.update(d);
    return (int) crc.getValue();
  }

  public static int lengthField(ByteBuffer buf, int position) {
    return (int) INT.getAcquire(buf, position);
  }

  public static void publishLength(ByteBuffer buf, int position, int lengthField) {
    INT.setRelease(buf, position, lengthField);
  }

  /** The CRC32C of the offset and payload of the frame at {@code position}. */
  public static int frameCrc(ByteBuffer scratch, CRC32C crc, int position, int payload) {
    crc.reset();
    scratch.limit(position + FRAME_HEADER_BYTES + payload).position(position + 8);
    crc.update(scratch);
    return (int) crc.getValue();
  }

  /** What lies at a frame position. */
  public enum Kind { RECORD, NOTHING, END, INVALID }

  /**
   * Classifies the frame at {@code position} of a segment of {@code capacity} bytes, expected to
   * hold {@code expectedOffset}. {@code problem[0]} receives the reason when INVALID.
   */
  public static Kind inspect(ByteBuffer buf, ByteBuffer scratch, CRC32C crc, int position,
      long expectedOffset, String[] problem) {
    int capacity = buf.capacity();
    if (position + 4 > capacity) {
      problem[0] = "segment ends without an end marker";
      return Kind.INVALID;
    }
    int field = lengthField(buf, position);
    if (field == 0) {
      return Kind.NOTHING;
    }
    if (field == END_MARKER) {
      return Kind.END;
    }
    long payload = (long) field - 1;
    if (payload < 0 || position + (long) frameBytes((int) Math.min(payload, Integer.MAX_VALUE - 16))
        + END_MARKER_BYTES > capacity) {
      problem[0] = "record length " + payload + " runs past the segment end";
      return Kind.INVALID;
    }
    long offset = buf.getLong(position + 8);
    int stored = buf.getInt(position + 4);
    if (frameCrc(scratch, crc, position, (int) payload) != stored) {
      problem[0] = "record checksum mismatch";
      return Kind.INVALID;
    }
    if (offset != expectedOffset) {
      problem[0] = "record holds offset " + offset + ", expected " + expectedOffset;
      return Kind.INVALID;
    }
    return Kind.RECORD;
  }
}
