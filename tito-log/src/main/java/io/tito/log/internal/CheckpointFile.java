package io.tito.log.internal;

import io.tito.log.LogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A consumer's checkpoint (the offset of the next record it has not consumed) as an append-only
 * file of 16-byte entries: {@code long checkpoint, int crc32c(checkpoint), int magic}. Saving
 * appends one entry and forces it (one fdatasync); the last valid entry wins, so a torn last
 * entry after a crash leaves the previous checkpoint. Past {@link #COMPACT_BYTES} the file is
 * rewritten with one entry (temporary file, force, atomic rename, directory force).
 */
public final class CheckpointFile implements AutoCloseable {

  private static final int MAGIC = 0x504B4354; // 'TCKP'
  private static final int ENTRY = 16;
  static final int COMPACT_BYTES = 64 * 1024;

  private final Path path;
  private final ByteBuffer entry = ByteBuffer.allocate(ENTRY).order(ByteOrder.LITTLE_ENDIAN);
  private FileChannel channel;
  private long size;

  private CheckpointFile(Path path) {
    this.path = path;
  }

  /** The checkpoint in {@code file}, or -1 if there is none (no file, or no valid entry). */
  public static long read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      throw new LogException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
    return lastValid(bytes)[0];
  }

  /** {last valid checkpoint or -1, bytes of the valid entries}. */
  private static long[] lastValid(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long value = -1;
    int valid = 0;
    for (int at = 0; at + ENTRY <= bytes.length; at += ENTRY) {
      long v = b.getLong(at);
      if (b.getInt(at + 12) != MAGIC || b.getInt(at + 8) != crc(v) || v < 0) {
        break;
      }
      value = v;
      valid = at + ENTRY;
    }
    return new long[] {value, valid};
  }

  private static int crc(long v) {
    CRC32C c = new CRC32C();
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
    c.update(b);
    return (int) c.getValue();
  }

  /**
   * Opens {@code file} for saving (the caller holds the consumer's lock): cuts any torn entry.
   * Returns the file; {@link #initial()} gives the checkpoint read.
   */
  public static CheckpointFile open(Path file) {
    CheckpointFile f = new CheckpointFile(file);
    try {
      Files.createDirectories(file.getParent());
      f.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      byte[] bytes = Files.readAllBytes(file);
      long[] last = lastValid(bytes);
      f.initial = last[0];
      f.size = last[1];
      if (f.size != bytes.length) {
        f.channel.truncate(f.size);
        f.channel.force(false);
      }
      return f;
    } catch (IOException e) {
      f.close();
      throw new LogException("cannot open checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  private long initial;

  /** The checkpoint when opened, or -1. */
  public long initial() {
    return initial;
  }

  /** Saves {@code checkpoint} durably before returning. */
  public void save(long checkpoint) {
    save(checkpoint, true);
  }

  /**
   * Saves {@code checkpoint}, forcing it to the disk only if {@code force} (a checkpoint kept
   * elsewhere, whose file copy is a lower bound for retention, need not be forced).
   */
  public void save(long checkpoint, boolean force) {
    try {
      if (size + ENTRY > COMPACT_BYTES) {
        compact(checkpoint);
        return;
      }
      fill(checkpoint);
      long at = size;
      while (entry.hasRemaining()) {
        at += channel.write(entry, at);
      }
      if (force) {
        channel.force(false);
      }
      size = at;
    } catch (IOException e) {
      throw new LogException("cannot save checkpoint " + path + ": " + e.getMessage(), e);
    }
  }

  private void fill(long checkpoint) {
    entry.clear();
    entry.putLong(0, checkpoint).putInt(8, crc(checkpoint)).putInt(12, MAGIC);
  }

  private void compact(long checkpoint) throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel t = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      fill(checkpoint);
      while (entry.hasRemaining()) {
        t.write(entry);
      }
      t.force(false);
    }
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Dirs.sync(path.getParent());
    channel.close();
    channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    size = ENTRY;
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
