package io.tito.log.internal;

import io.tito.log.LogCorruptedException;
import io.tito.log.LogException;
import io.tito.log.LogRecord;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads records in order across segment files, without blocking: {@link #poll} answers null when
 * the next record is not there yet. Not thread-safe (one consumer thread).
 */
public final class LogReader implements AutoCloseable {

  private final Path dir;
  private final String[] problem = new String[1];
  private Segment segment;
  private int position;
  private long nextOffset;

  private LogReader(Path dir) {
    this.dir = dir;
  }

  /** The oldest retained offset, or 0 for an empty log. */
  public static long oldestOffset(Path dir) {
    TreeMap<Long, Path> segs = Dirs.segments(dir);
    return segs.isEmpty() ? 0 : segs.firstKey();
  }

  /** The offset the next appended record will get (scanning the last segment). */
  public static long endOffset(Path dir) {
    TreeMap<Long, Path> segs = Dirs.segments(dir);
    if (segs.isEmpty()) {
      return 0;
    }
    try (LogReader r = new LogReader(dir)) {
      r.enter(segs.lastKey(), segs.lastEntry().getValue());
      r.seekWithin(Long.MAX_VALUE);
      return r.nextOffset;
    }
  }

  /**
   * A reader positioned at {@code offset}, which must lie between the oldest retained offset and
   * the end offset (callers clamp first).
   */
  public static LogReader open(Path dir, long offset) {
    LogReader r = new LogReader(dir);
    TreeMap<Long, Path> segs = Dirs.segments(dir);
    if (segs.isEmpty()) {
      r.nextOffset = offset;
      return r; // nothing yet: the first segment appears with the first record
    }
    Map.Entry<Long, Path> e = segs.floorEntry(offset);
    if (e == null) {
      throw new LogException("offset " + offset + " of log " + dir
          + " was deleted by retention; oldest retained is " + segs.firstKey());
    }
    r.enter(e.getKey(), e.getValue());
    long[] hint = SegmentIndex.floor(dir, e.getKey(), offset);
    if (hint != null && hint[1] >= SegmentFormat.HEADER_BYTES && hint[1] < r.segment.capacity()
        && (hint[1] & 7) == 0) {
      int saved = r.position;
      long savedOffset = r.nextOffset;
      r.position = (int) hint[1];
      r.nextOffset = hint[0];
      if (SegmentFormat.inspect(r.segment.buffer(), r.segment.scratch(), r.segment.crc(),
          r.position, r.nextOffset, r.problem) != SegmentFormat.Kind.RECORD) {
        r.position = saved;
        r.nextOffset = savedOffset;
      }
    }
    r.seekWithin(offset);
    return r;
  }

  private void enter(long base, Path path) {
    if (segment != null) {
      segment.close();
    }
    segment = Segment.open(path, base, false);
    position = SegmentFormat.HEADER_BYTES;
    nextOffset = base;
  }

  /** Skips records of the current segment until {@code offset} or the segment's last record. */
  private void seekWithin(long offset) {
    while (nextOffset < offset) {
      SegmentFormat.Kind kind = inspect();
      if (kind != SegmentFormat.Kind.RECORD) {
        if (kind == SegmentFormat.Kind.END && offset != Long.MAX_VALUE) {
          Path next = dir.resolve(SegmentFormat.fileName(nextOffset));
          if (Files.exists(next)) {
            enter(nextOffset, next);
            continue;
          }
        }
        return;
      }
      int payload = SegmentFormat.lengthField(segment.buffer(), position) - 1;
      position += SegmentFormat.frameBytes(payload);
      nextOffset++;
    }
  }

  private SegmentFormat.Kind inspect() {
    SegmentFormat.Kind kind = SegmentFormat.inspect(segment.buffer(), segment.scratch(),
        segment.crc(), position, nextOffset, problem);
    if (kind == SegmentFormat.Kind.INVALID
        && (segment.sealed() || position < segment.syncedPosition())) {
      throw new LogCorruptedException(segment.path(), nextOffset, position, problem[0]);
    }
    return kind;
  }

  /** Whether {@link #poll} has something to say now (a record, a next segment, or an error). */
  public boolean ready() {
    if (segment == null) {
      return Files.exists(dir.resolve(SegmentFormat.fileName(nextOffset)));
    }
    SegmentFormat.Kind kind = SegmentFormat.inspect(segment.buffer(), segment.scratch(),
        segment.crc(), position, nextOffset, problem);
    if (kind == SegmentFormat.Kind.NOTHING) {
      return false;
    }
    if (kind == SegmentFormat.Kind.END) {
      if (Files.exists(dir.resolve(SegmentFormat.fileName(nextOffset)))) {
        return true;
      }
      TreeMap<Long, Path> segs = Dirs.segments(dir);
      return !segs.isEmpty() && segs.firstKey() > nextOffset; // deleted: poll reports it
    }
    return kind != SegmentFormat.Kind.INVALID || segment.sealed()
        || position < segment.syncedPosition();
  }

  /** The offset of the record {@link #poll} returns next. */
  public long nextOffset() {
    return nextOffset;
  }

  /**
   * The next record, or null if it is not there yet (or lies beyond a torn tail that the next
   * producer to open the log will truncate).
   *
   * @throws LogCorruptedException if the next record is corrupt where a valid one must be
   * @throws LogException if the next record was deleted by retention
   */
  public LogRecord poll() {
    while (true) {
      if (segment == null) {
        Path first = dir.resolve(SegmentFormat.fileName(nextOffset));
        if (!Files.exists(first)) {
          return null;
        }
        enter(nextOffset, first);
      }
      SegmentFormat.Kind kind = inspect();
      switch (kind) {
        case RECORD -> {
          ByteBuffer buf = segment.buffer();
          int payload = SegmentFormat.lengthField(buf, position) - 1;
          byte[] bytes = new byte[payload];
          buf.get(position + SegmentFormat.FRAME_HEADER_BYTES, bytes);
          LogRecord record = new LogRecord(nextOffset, bytes);
          position += SegmentFormat.frameBytes(payload);
          nextOffset++;
          return record;
        }
        case END -> {
          Path next = dir.resolve(SegmentFormat.fileName(nextOffset));
          if (!Files.exists(next)) {
            TreeMap<Long, Path> segs = Dirs.segments(dir);
            if (!segs.isEmpty() && segs.firstKey() > nextOffset) {
              throw new LogException("offset " + nextOffset + " of log " + dir
                  + " was deleted by retention; oldest retained is " + segs.firstKey());
            }
            return null;
          }
          enter(nextOffset, next);
        }
        default -> {
          return null;
        }
      }
    }
  }

  @Override
  public void close() {
    if (segment != null) {
      segment.close();
      segment = null;
    }
  }
}
