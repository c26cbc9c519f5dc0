package io.tito.backup;

import io.tito.AlreadyExistsException;
import io.tito.NotFoundException;
import io.tito.StorageException;
import io.tito.internal.backup.BackupNames;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Backups in a local directory: one sub-directory per backup, one file per chunk and manifest.
 * A file is written under a temporary name, forced to disk and renamed into place on close, so a
 * crash never leaves a partial file under its real name. Thread-safe (the file system is the only
 * state).
 */
public final class LocalDirectoryStorage implements BackupStorage {

  private static final String TEMP_SUFFIX = ".partial";

  private final Path root;

  private LocalDirectoryStorage(Path root) {
    this.root = root;
  }

  /**
   * Storage in {@code root}, created if missing.
   *
   * @throws StorageException if the directory cannot be created
   */
  public static LocalDirectoryStorage in(Path root) {
    Path dir = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("backup directory cannot be created", Map.of("path", dir), e);
    }
    return new LocalDirectoryStorage(dir);
  }

  /** The directory holding the backups. */
  public Path root() {
    return root;
  }

  @Override
  public List<String> backupIds() {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path d : dirs) {
        out.add(d.getFileName().toString());
      }
    } catch (IOException e) {
      throw failure("backups cannot be listed", root, e);
    }
    return out;
  }

  @Override
  public List<String> files(String backupId) {
    Path dir = backupDir(backupId);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(TEMP_SUFFIX)).sorted().toList();
    } catch (IOException e) {
      throw failure("backup files cannot be listed", dir, e);
    }
  }

  @Override
  public OutputStream create(String backupId, String name) {
    Path dir = backupDir(backupId);
    Path target = file(dir, name);
    if (Files.exists(target)) {
      throw new AlreadyExistsException("backup file already exists", Map.of("path", target));
    }
    Path temp = dir.resolve(name + TEMP_SUFFIX);
    FileChannel channel;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw failure("backup file cannot be created", temp, e);
    }
    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    return new FilterOutputStream(out) {
      private boolean closed;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        try {
          out.flush();
          channel.force(true); // on disk before it appears under its name
          out.close();
          moveIntoPlace(temp, target);
        } catch (IOException | RuntimeException e) {
          try {
            channel.close();
          } catch (IOException ignored) {
            // the write already failed; that error is the one to report
          }
          Files.deleteIfExists(temp);
          throw e;
        }
      }
    };
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      try {
        Files.move(temp, target);
      } catch (FileAlreadyExistsException exists) {
        throw new IOException("backup file already exists: " + target, exists);
      }
    }
  }

  @Override
  public InputStream open(String backupId, String name) {
    Path f = file(backupDir(backupId), name);
    try {
      return Files.newInputStream(f);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("backup file is missing", Map.of("backup", backupId, "file", name, "path", f));
    } catch (IOException e) {
      throw failure("backup file cannot be read", f, e);
    }
  }

  @Override
  public void delete(String backupId) {
    Path dir = backupDir(backupId);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw failure("backup cannot be deleted", dir, e);
    }
  }

  private Path backupDir(String backupId) {
    checkName(backupId, "backupId");
    return root.resolve(backupId);
  }

  private static Path file(Path dir, String name) {
    checkName(name, "file");
    return dir.resolve(name);
  }

  private static void checkName(String name, String what) {
    BackupNames.check(name, what);
  }

  private static StorageException failure(String message, Path path, IOException e) {
    return new StorageException(message, Map.of("path", path, "reason", String.valueOf(e.getMessage())), e);
  }

  @Override
  public String toString() {
    return "LocalDirectoryStorage[" + root + "]";
  }
}
