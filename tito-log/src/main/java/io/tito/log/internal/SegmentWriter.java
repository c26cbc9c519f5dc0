package io.tito.log.internal;

import io.tito.log.LogCorruptedException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Appends frames to the active segment. Used by the producer under its append lock; {@link
 * #position()} and {@link #nextOffset()} may be read by other threads.
 */
public final class SegmentWriter implements AutoCloseable {

  private final Segment segment;
  private final SegmentIndex index;
  private volatile int position;
  private volatile long nextOffset;
  private boolean endsWithMarker;

  private SegmentWriter(Segment segment, SegmentIndex index, int position, long nextOffset) {
    this.segment = segment;
    this.index = index;
    this.position = position;
    this.nextOffset = nextOffset;
  }

  /** A new, empty active segment starting at {@code base}. */
  public static SegmentWriter create(Path dir, long base, int size, long nowMillis, boolean durable) {
    Segment s = Segment.create(dir, base, size, nowMillis, durable);
    return new SegmentWriter(s, SegmentIndex.create(dir, base), SegmentFormat.HEADER_BYTES, base);
  }

  /**
   * Opens an existing segment for appending after its last valid record: a torn tail (an invalid
   * frame at or after the synced position of an unsealed segment) is zeroed, never delivered; its
   * index is rebuilt.
   *
   * @throws LogCorruptedException for an invalid frame before the synced position or in a sealed
   *     segment, or an unsealed segment whose file ends inside the room of its end marker
   */
  public static SegmentWriter recover(Path dir, long base, Path path) {
    Segment s = Segment.open(path, base, true);
    SegmentIndex index = SegmentIndex.create(dir, base);
    String[] problem = new String[1];
    int position = SegmentFormat.HEADER_BYTES;
    long offset = base;
    ByteBuffer buf = s.buffer();
    while (true) {
      SegmentFormat.Kind kind = SegmentFormat.inspect(buf, s.scratch(), s.crc(), position, offset,
          problem);
      if (kind == SegmentFormat.Kind.RECORD) {
        index.maybeAdd(offset - base, position);
        position += SegmentFormat.frameBytes(SegmentFormat.lengthField(buf, position) - 1);
        offset++;
        continue;
      }
      if (kind == SegmentFormat.Kind.INVALID && (s.sealed() || position < s.syncedPosition())) {
        index.close();
        s.close();
        throw new LogCorruptedException(path, offset, position, problem[0]);
      }
      if (kind != SegmentFormat.Kind.END && !s.sealed()
          && position + SegmentFormat.END_MARKER_BYTES > s.capacity()) {
        // Segments are created at full size: a file cut inside the end marker's room was damaged,
        // and the segment could neither take a record nor be sealed.
        int size = s.capacity();
        index.close();
        s.close();
        throw new LogCorruptedException(path, offset, position,
            "segment file cut short (" + size + " bytes): no room for its end marker");
      }
      SegmentWriter w = new SegmentWriter(s, index, position, offset);
      w.endsWithMarker = kind == SegmentFormat.Kind.END;
      if (!w.endsWithMarker && !s.sealed()) {
        w.zeroTail();
      }
      return w;
    }
  }

  private void zeroTail() {
    ByteBuffer buf = segment.buffer();
    int cap = buf.capacity();
    for (int p = position; p + 8 <= cap; p += 8) {
      if (buf.getLong(p) != 0) {
        segment.zero(p, cap);
        return;
      }
    }
  }

  public Segment segment() {
    return segment;
  }

  public int position() {
    return position;
  }

  public long nextOffset() {
    return nextOffset;
  }

  public long base() {
    return segment.base();
  }

  /** Whether the segment already ends with an end marker (it was sealed before a crash). */
  public boolean endsWithMarker() {
    return endsWithMarker || segment.sealed();
  }

  /** Whether a payload of {@code length} bytes still fits before the end marker. */
  public boolean fits(int length) {
    return !endsWithMarker()
        && (long) position + SegmentFormat.frameBytes(length) + SegmentFormat.END_MARKER_BYTES
            <= segment.capacity();
  }

  /** Writes one frame; the length goes last, with release semantics. Returns its offset. */
  public long append(byte[] src, int off, int len) {
    ByteBuffer buf = segment.buffer();
    int p = position;
    long offset = nextOffset;
    buf.putLong(p + 8, offset);
    buf.put(p + SegmentFormat.FRAME_HEADER_BYTES, src, off, len);
    int frame = SegmentFormat.frameBytes(len);
    for (int pad = p + SegmentFormat.FRAME_HEADER_BYTES + len; pad < p + frame; pad++) {
      buf.put(pad, (byte) 0);
    }
    buf.putInt(p + 4, SegmentFormat.frameCrc(segment.scratch(), segment.crc(), p, len));
    SegmentFormat.publishLength(buf, p, len + 1);
    index.maybeAdd(offset - segment.base(), p);
    position = p + frame;
    nextOffset = offset + 1;
    return offset;
  }

  /**
   * Ends the segment: the end marker (readers move on to the next file, which must exist), the
   * sealing time, a force when {@code durable}, then the file shrinks to its used size.
   */
  public void seal(long nowMillis, boolean durable) {
    ByteBuffer buf = segment.buffer();
    if (!endsWithMarker()) {
      SegmentFormat.publishLength(buf, position, SegmentFormat.END_MARKER);
    }
    segment.markSealed(nowMillis);
    segment.markSynced(position);
    if (durable) {
      segment.force(position + SegmentFormat.END_MARKER_BYTES);
    }
    endsWithMarker = true;
    segment.truncate(position + SegmentFormat.END_MARKER_BYTES);
  }

  @Override
  public void close() {
    index.close();
    segment.close();
  }
}
