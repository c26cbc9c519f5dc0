package io.tito.log.internal;

import io.tito.log.LogException;
import io.tito.log.LogLockedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a lock file ({@link FileChannel#tryLock()}): held against other processes
 * by the operating system (released when the process dies, even by kill -9) and against this
 * process by the JDK's overlapping-lock check.
 */
public final class DirLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** @throws LogLockedException if held elsewhere; {@code holder} describes who would hold it */
  public static DirLock acquire(Path file, String holder) {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new LogException("cannot open lock file " + file + ": " + e.getMessage(), e);
    }
    try {
      FileLock l = ch.tryLock();
      if (l == null) {
        close(ch);
        throw new LogLockedException(file, holder);
      }
      return new DirLock(ch, l);
    } catch (OverlappingFileLockException e) {
      close(ch);
      throw new LogLockedException(file, holder);
    } catch (IOException e) {
      close(ch);
      throw new LogException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    close(channel);
  }

  private static void close(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
