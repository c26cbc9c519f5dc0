package io.tito.log.internal;

import io.tito.log.LogCorruptedException;
import io.tito.log.LogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One segment file mapped into memory, for reading or writing. The mapping lives until the buffer
 * is collected (Java 21 has no explicit unmap); a deleted segment's mapping stays readable.
 */
public final class Segment implements AutoCloseable {

  private final Path path;
  private final long base;
  private final FileChannel channel;
  private final MappedByteBuffer buf;
  private final ByteBuffer scratch;
  private final CRC32C crc = new CRC32C();

  private Segment(Path path, long base, FileChannel channel, MappedByteBuffer buf) {
    this.path = path;
    this.base = base;
    this.channel = channel;
    this.buf = buf;
    buf.order(ByteOrder.LITTLE_ENDIAN);
    this.scratch = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Maps an existing segment, checking its header. */
  public static Segment open(Path path, long base, boolean writable) {
    FileChannel ch = null;
    try {
      ch = writable
          ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
          : FileChannel.open(path, StandardOpenOption.READ);
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new LogCorruptedException(path, base, 0, "segment larger than 2 GiB");
      }
      MappedByteBuffer map = ch.map(writable ? FileChannel.MapMode.READ_WRITE
          : FileChannel.MapMode.READ_ONLY, 0, size);
      Segment s = new Segment(path, base, ch, map);
      String problem = SegmentFormat.headerProblem(s.buf, base);
      if (problem != null) {
        throw new LogCorruptedException(path, base, 0, problem);
      }
      return s;
    } catch (IOException e) {
      closeQuietly(ch);
      throw new LogException("cannot open log segment " + path + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  /**
   * Creates the segment starting at {@code base}: written under a temporary name, header
   * included, then renamed, so that readers never see a segment without its header.
   */
  public static Segment create(Path dir, long base, int size, long nowMillis, boolean durable) {
    Path target = dir.resolve(SegmentFormat.fileName(base));
    Path tmp = dir.resolve(SegmentFormat.fileName(base) + ".tmp");
    FileChannel ch = null;
    try {
      Files.deleteIfExists(tmp);
      ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(new byte[] {0}), size - 1L);
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
      Segment s = new Segment(target, base, ch, map);
      SegmentFormat.writeHeader(s.buf, base, nowMillis);
      if (durable) {
        s.buf.force(0, SegmentFormat.HEADER_BYTES);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      if (durable) {
        Dirs.sync(dir);
      }
      return s;
    } catch (IOException e) {
      closeQuietly(ch);
      throw new LogException("cannot create log segment " + target + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  public long base() {
    return base;
  }

  public ByteBuffer buffer() {
    return buf;
  }

  /** A second view of the bytes for bulk reads and checksums; one user thread at a time. */
  public ByteBuffer scratch() {
    return scratch;
  }

  public CRC32C crc() {
    return crc;
  }

  public int capacity() {
    return buf.capacity();
  }

  public boolean sealed() {
    return buf.getLong(SegmentFormat.SEALED_MILLIS_AT) != 0;
  }

  public long sealedMillis() {
    return buf.getLong(SegmentFormat.SEALED_MILLIS_AT);
  }

  public long syncedPosition() {
    return buf.getLong(SegmentFormat.SYNCED_POSITION_AT);
  }

  /**
   * Forces the header and the bytes up to {@code to} to the disk, in one msync (one journal
   * commit): only dirty pages are written, so the range from 0 costs nothing extra.
   */
  public void force(int to) {
    buf.force(0, Math.max(to, SegmentFormat.HEADER_BYTES));
  }

  public void markSynced(long position) {
    buf.putLong(SegmentFormat.SYNCED_POSITION_AT, position);
  }

  public void markSealed(long millis) {
    buf.putLong(SegmentFormat.SEALED_MILLIS_AT, Math.max(1, millis));
  }

  /** Shrinks the file to {@code size} bytes (a sealed segment: data and end marker). */
  public void truncate(long size) {
    try {
      channel.truncate(size);
    } catch (IOException e) {
      throw new LogException("cannot truncate log segment " + path + ": " + e.getMessage(), e);
    }
  }

  /** Writes zeros over {@code [from, to)} through the channel (repairing a torn tail). */
  public void zero(long from, long to) {
    try {
      ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
      long at = from;
      while (at < to) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
        at += channel.write(zeros, at);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new LogException("cannot repair log segment " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to do: the mapping stays valid until collected
      }
    }
  }
}
