package io.tito.log.internal;

import io.tito.log.LogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The sparse offset index of one segment, {@code <base>.idx}: 8-byte entries {@code int offset -
 * base, int position}, one about every {@link #INTERVAL_BYTES} of records, ascending. The index
 * is a hint: a reader checks the frame it points at (its offset and checksum) and falls back to
 * scanning the segment, so a stale or damaged index costs time, never correctness. A producer
 * rebuilds the active segment's index when it opens the log.
 */
public final class SegmentIndex implements AutoCloseable {

  public static final int INTERVAL_BYTES = 4096;
  private static final String SUFFIX = ".idx";

  private final FileChannel channel;
  private final ByteBuffer entry = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
  private int lastIndexedPosition;

  private SegmentIndex(FileChannel channel, int lastIndexedPosition) {
    this.channel = channel;
    this.lastIndexedPosition = lastIndexedPosition;
  }

  public static Path file(Path dir, long base) {
    return dir.resolve(String.format("%020d", base) + SUFFIX);
  }

  /** Starts a fresh index file for a segment (replacing any), for the producer. */
  public static SegmentIndex create(Path dir, long base) {
    try {
      FileChannel ch = FileChannel.open(file(dir, base), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      return new SegmentIndex(ch, SegmentFormat.HEADER_BYTES);
    } catch (IOException e) {
      throw new LogException("cannot create index " + file(dir, base) + ": " + e.getMessage(), e);
    }
  }

  /** Records that the frame of {@code relativeOffset} starts at {@code position}, if due. */
  public void maybeAdd(long relativeOffset, int position) {
    if (position - lastIndexedPosition < INTERVAL_BYTES) {
      return;
    }
    lastIndexedPosition = position;
    entry.clear();
    entry.putInt(0, (int) relativeOffset).putInt(4, position);
    try {
      while (entry.hasRemaining()) {
        channel.write(entry);
      }
    } catch (IOException e) {
      throw new LogException("cannot write log index: " + e.getMessage(), e);
    }
  }

  /**
   * The {offset, position} of the last entry at or below {@code target} in the index of the
   * segment {@code base}, or null if none (missing file, no such entry).
   */
  public static long[] floor(Path dir, long base, long target) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file(dir, base));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null; // a hint only
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int lo = 0;
    int hi = bytes.length / 8 - 1;
    long[] best = null;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long off = base + Integer.toUnsignedLong(b.getInt(mid * 8));
      if (off <= target) {
        best = new long[] {off, b.getInt(mid * 8 + 4)};
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best;
  }

  public static void delete(Path dir, long base) {
    try {
      Files.deleteIfExists(file(dir, base));
    } catch (IOException ignored) {
      // a leftover index is harmless: it is a hint and is replaced when its segment is created
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
