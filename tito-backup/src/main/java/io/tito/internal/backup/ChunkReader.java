package io.tito.internal.backup;

import io.tito.NotFoundException;
import io.tito.backup.BackupManifest;
import io.tito.backup.BackupStorage;
import io.tito.spi.ChangeFeed;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;

import java.util.List;

/**
 * Reads chunks back and checks them against the manifest: present, of the recorded size, of the
 * recorded SHA-256, and decoding to the recorded number of records and raw bytes. Any mismatch is
 * a {@link io.tito.StorageException} naming the backup and chunk ("missing", "truncated",
 * "checksum mismatch", ...). Stateless.
 */
public final class ChunkReader {

  private final BackupStorage storage;
  private final int parallelism;

  /** A reader that reads and checks one chunk at a time, on the caller's thread. */
  public ChunkReader(BackupStorage storage) {
    this(storage, 1);
  }

  /** A reader that reads and checks up to {@code parallelism} chunks ahead, on as many threads. */
  public ChunkReader(BackupStorage storage, int parallelism) {
    this.storage = storage;
    this.parallelism = parallelism;
  }

  /** The full backup's entries, chunk by chunk in order, read and checked ahead of the caller. */
  public InOrder<List<byte[][]>> entriesAhead(BackupManifest backup) {
    return new InOrder<>(backup.chunks().stream()
        .map(c -> (java.util.concurrent.Callable<List<byte[][]>>) () -> entries(backup, c)).toList(), parallelism);
  }

  /**
   * The full backup's entries as ranges of each chunk's array (no array per key and value), chunk
   * by chunk in order, read and checked ahead of the caller.
   */
  public InOrder<RecordCodec.EntryRanges> entryRangesAhead(BackupManifest backup) {
    return new InOrder<>(backup.chunks().stream()
        .map(c -> (java.util.concurrent.Callable<RecordCodec.EntryRanges>) () -> entryRanges(backup, c)).toList(),
        parallelism);
  }

  /** The entries of a full backup's chunk as ranges of its decompressed array, checked. */
  public RecordCodec.EntryRanges entryRanges(BackupManifest backup, BackupManifest.Chunk chunk) {
    byte[] raw = raw(backup, chunk);
    RecordCodec.EntryRanges out;
    try {
      out = RecordCodec.entryRanges(raw, chunk.entries());
    } catch (IOException e) {
      throw ManifestCodec.corrupt(backup.id(), "chunk " + chunk.name() + " holds a damaged record: " + e.getMessage());
    }
    checkCount(backup, chunk, out.count());
    return out;
  }

  /** The incremental backup's commits, chunk by chunk in order, read and checked ahead of the caller. */
  public InOrder<List<ChangeFeed.Commit>> commitsAhead(BackupManifest backup) {
    return new InOrder<>(backup.chunks().stream()
        .map(c -> (java.util.concurrent.Callable<List<ChangeFeed.Commit>>) () -> commits(backup, c)).toList(), parallelism);
  }

  /** The manifest of {@code backupId}, checked. */
  public BackupManifest manifest(String backupId) {
    return ManifestCodec.read(backupId, readFile(backupId, BackupManifest.FILE, "manifest is missing"));
  }

  /** The checked, uncompressed bytes of {@code chunk}. */
  public byte[] raw(BackupManifest backup, BackupManifest.Chunk chunk) {
    String where = "chunk " + chunk.name() + " ";
    byte[] stored = readFile(backup.id(), chunk.name(), where + "is missing");
    if (stored.length < chunk.storedBytes()) {
      throw ManifestCodec.corrupt(backup.id(), where + "is truncated: " + stored.length + " of "
          + chunk.storedBytes() + " bytes");
    }
    if (stored.length > chunk.storedBytes()) {
      throw ManifestCodec.corrupt(backup.id(), where + "is longer than recorded: " + stored.length + " bytes, "
          + chunk.storedBytes() + " expected");
    }
    String sha = Hashing.hex(Hashing.sha256().digest(stored));
    if (!sha.equals(chunk.sha256())) {
      throw ManifestCodec.corrupt(backup.id(), where + "checksum mismatch: SHA-256 " + sha + ", "
          + chunk.sha256() + " expected");
    }
    byte[] raw;
    try {
      raw = Codecs.decompress(chunk.name(), stored, chunk.rawBytes());
    } catch (IOException e) {
      throw ManifestCodec.corrupt(backup.id(), where + "cannot be decompressed: " + e.getMessage());
    }
    if (raw.length != chunk.rawBytes()) {
      throw ManifestCodec.corrupt(backup.id(), where + "decompresses to " + raw.length + " bytes, "
          + chunk.rawBytes() + " expected");
    }
    return raw;
  }

  /** The entries of a full backup's chunk, checked. */
  public List<byte[][]> entries(BackupManifest backup, BackupManifest.Chunk chunk) {
    byte[] raw = raw(backup, chunk);
    List<byte[][]> out = new ArrayList<>((int) Math.min(chunk.entries(), 1 << 16));
    try {
      RecordCodec.Input in = new RecordCodec.Input(raw);
      byte[][] e;
      while ((e = RecordCodec.readEntry(in)) != null) {
        out.add(e);
      }
    } catch (IOException e) {
      throw ManifestCodec.corrupt(backup.id(), "chunk " + chunk.name() + " holds a damaged record: " + e.getMessage());
    }
    checkCount(backup, chunk, out.size());
    return out;
  }

  /** The commits of an incremental backup's chunk, checked. */
  public List<ChangeFeed.Commit> commits(BackupManifest backup, BackupManifest.Chunk chunk) {
    byte[] raw = raw(backup, chunk);
    List<ChangeFeed.Commit> out = new ArrayList<>();
    try {
      RecordCodec.Input in = new RecordCodec.Input(raw);
      ChangeFeed.Commit c;
      while ((c = RecordCodec.readCommit(in)) != null) {
        out.add(c);
      }
    } catch (IOException | RuntimeException e) {
      throw ManifestCodec.corrupt(backup.id(), "chunk " + chunk.name() + " holds a damaged commit: " + e.getMessage());
    }
    checkCount(backup, chunk, out.size());
    return out;
  }

  /** Reads and checks every chunk of {@code backup}; returns the number of records. */
  public long verify(BackupManifest backup) {
    long n = 0;
    List<java.util.concurrent.Callable<Integer>> checks = backup.chunks().stream()
        .map(c -> (java.util.concurrent.Callable<Integer>) () -> backup.kind() == BackupManifest.Kind.FULL
            ? entries(backup, c).size() : commits(backup, c).size()).toList();
    try (InOrder<Integer> counts = new InOrder<>(checks, parallelism)) {
      while (counts.hasNext()) {
        n += counts.next();
      }
    }
    if (n != backup.entries()) {
      throw ManifestCodec.corrupt(backup.id(), "chunks hold " + n + " records, the manifest says " + backup.entries());
    }
    return n;
  }

  private static void checkCount(BackupManifest backup, BackupManifest.Chunk chunk, int n) {
    if (n != chunk.entries()) {
      throw ManifestCodec.corrupt(backup.id(), "chunk " + chunk.name() + " holds " + n + " records, "
          + chunk.entries() + " expected");
    }
  }

  private byte[] readFile(String backupId, String name, String missing) {
    try (InputStream in = storage.open(backupId, name)) {
      return in.readAllBytes();
    } catch (NotFoundException e) {
      throw ManifestCodec.corrupt(backupId, missing);
    } catch (IOException e) {
      throw new io.tito.StorageException("backup file cannot be read",
          java.util.Map.of("backup", backupId, "file", name, "reason", String.valueOf(e.getMessage())), e);
    }
  }

}
