package io.tito.rocksdb;

import io.tito.StorageException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The store's identity: a marker file {@value #MARKER} in the directory, written (atomically,
 * synced) before RocksDB creates anything, so a directory holding RocksDB files but no marker is
 * never taken for a Tito store, and user keys (all in RocksDB) can never collide with it.
 */
final class StoreDirectory {

  static final String MARKER = "TITO_STORE";
  /**
   * 2: a {@code tito-meta} column family holds the commit version, change-feed holds and change
   * log (format 1 stores are upgraded on open; releases that read only format 1 refuse them).
   */
  static final int FORMAT_VERSION = 2;
  private static final String ENGINE = "rocksdb";

  private StoreDirectory() {}

  /**
   * Checks that {@code dir} is a Tito RocksDB store of a supported format, or makes it one when it
   * is missing or empty and {@code createIfMissing}.
   *
   * @throws StorageException if the directory is something else, damaged, newer, or missing
   */
  static void prepare(Path dir, boolean createIfMissing) {
    try {
      if (!Files.exists(dir)) {
        if (!createIfMissing) {
          throw new StorageException("store does not exist", Map.of("path", dir), null);
        }
        Files.createDirectories(dir);
        writeMarker(dir);
        return;
      }
      if (!Files.isDirectory(dir)) {
        throw new StorageException("store path is not a directory", Map.of("path", dir), null);
      }
      Path marker = dir.resolve(MARKER);
      if (Files.isRegularFile(marker)) {
        checkMarker(dir, marker);
        checkNotDamaged(dir);
        return;
      }
      List<String> entries = entries(dir);
      if (!entries.isEmpty()) {
        throw new StorageException("directory is not a Tito store",
            Map.of("path", dir, "marker", MARKER, "entries", entries.size()), null);
      }
      if (!createIfMissing) {
        throw new StorageException("store does not exist", Map.of("path", dir), null);
      }
      writeMarker(dir);
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException("store directory cannot be read or written", Map.of("path", dir), e);
    }
  }

  private static void checkMarker(Path dir, Path marker) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    String engine = p.getProperty("tito.store");
    String format = p.getProperty("tito.formatVersion");
    int version;
    try {
      version = Integer.parseInt(format == null ? "" : format.trim());
    } catch (NumberFormatException e) {
      throw new StorageException("store marker is unreadable", Map.of("path", dir, "marker", MARKER), e);
    }
    if (engine == null || !engine.trim().equals(ENGINE)) {
      throw new StorageException("directory is a Tito store of another engine",
          Map.of("path", dir, "engine", String.valueOf(engine), "expected", ENGINE), null);
    }
    if (version > FORMAT_VERSION) {
      throw new StorageException("store format version is newer than this library supports; upgrade Tito",
          Map.of("path", dir, "formatVersion", version, "supportedFormatVersion", FORMAT_VERSION), null);
    }
    if (version < 1) {
      throw new StorageException("store marker is unreadable", Map.of("path", dir, "formatVersion", version), null);
    }
    if (version < FORMAT_VERSION) {
      writeMarker(dir); // the open that follows adds what the newer format has
    }
  }

  /**
   * RocksDB would silently start an empty database (and later delete the orphaned files) if its
   * CURRENT file were lost while tables or logs remain; refuse instead. RocksDB writes CURRENT
   * before any table or log, so a creation cut short never trips this.
   */
  private static void checkNotDamaged(Path dir) throws IOException {
    if (Files.exists(dir.resolve("CURRENT"))) {
      return;
    }
    for (String name : entries(dir)) {
      if (name.endsWith(".sst") || name.endsWith(".log")) {
        throw new StorageException("store is damaged: its RocksDB CURRENT file is missing",
            Map.of("path", dir, "found", name), null);
      }
    }
  }

  /** Entries other than the marker and leftovers of an interrupted marker write. */
  private static List<String> entries(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!name.equals(MARKER) && !(name.startsWith(MARKER + ".") && name.endsWith(".tmp"))) {
          out.add(name);
        }
      }
    }
    return out;
  }

  private static void writeMarker(Path dir) throws IOException {
    String text = "# Tito store: do not edit or delete this file.\n"
        + "tito.store=" + ENGINE + "\n"
        + "tito.formatVersion=" + FORMAT_VERSION + "\n";
    Path tmp = dir.resolve(MARKER + "." + UUID.randomUUID() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(StandardCharsets.UTF_8.encode(text));
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or sync a directory; the marker is still in place.
    }
  }
}
