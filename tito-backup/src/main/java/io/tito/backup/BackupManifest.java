package io.tito.backup;

import java.time.Instant;
import java.util.List;

/**
 * What a backup holds, written as {@value #FILE} after every chunk: the backup is complete once
 * it exists. Every chunk's SHA-256 is recorded, and {@link #checksum()} covers every other field,
 * chunk checksums included, so a change to any byte of a backup is detected.
 *
 * @param formatVersion {@value #FORMAT_VERSION} for this release; restore refuses newer ones
 * @param id the backup's id in its storage
 * @param set the backup set (its retention hold is {@code tito-backup.<set>})
 * @param kind full snapshot or changes since the previous backup
 * @param parent the backup this one follows (incremental), else {@code null}
 * @param lineage the id of the full backup that starts this chain
 * @param engine the name of the engine it was taken from
 * @param versioned whether the versions are the engine's commit versions (engines with a change
 *     feed); if not, the backup is a full snapshot that no incremental can follow
 * @param everyCommit whether an incremental holds each commit separately (any version in between
 *     can be restored) rather than the net changes of its interval
 * @param fromVersion incremental: the changes start after this version; full: equal to toVersion
 * @param toVersion the commit version of the state the backup reaches
 * @param toTimeMillis the wall-clock time of that state (epoch milliseconds)
 * @param startedAt when the backup started
 * @param finishedAt when its last chunk was written
 * @param entries full: number of key-value entries; incremental: number of commits
 * @param rawBytes bytes before compression
 * @param storedBytes bytes stored (compressed chunks)
 * @param chunks the chunks in order
 * @param checksum SHA-256 (hex) of every other field
 */
public record BackupManifest(
    int formatVersion,
    String id,
    String set,
    Kind kind,
    String parent,
    String lineage,
    String engine,
    boolean versioned,
    boolean everyCommit,
    long fromVersion,
    long toVersion,
    long toTimeMillis,
    Instant startedAt,
    Instant finishedAt,
    long entries,
    long rawBytes,
    long storedBytes,
    List<Chunk> chunks,
    String checksum) {

  /** The manifest's file name. */
  public static final String FILE = "manifest.json";

  /** The format this release writes and reads. */
  public static final int FORMAT_VERSION = 1;

  public BackupManifest {
    chunks = List.copyOf(chunks);
  }

  /** What a backup holds. */
  public enum Kind {
    /** Every key of one snapshot. */
    FULL,
    /** The commits after the previous backup of the set. */
    INCREMENTAL
  }

  /**
   * One chunk file: gzip-compressed records.
   *
   * @param name its file name
   * @param entries full: key-value entries; incremental: commits
   * @param rawBytes bytes before compression
   * @param storedBytes bytes of the file
   * @param sha256 SHA-256 (hex) of the file
   * @param first full: the first key (hex); incremental: the first commit version
   * @param last full: the last key (hex); incremental: the last commit version
   */
  public record Chunk(String name, long entries, long rawBytes, long storedBytes, String sha256,
      String first, String last) {}
}
