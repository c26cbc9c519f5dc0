package io.tito.backup;

import io.tito.InvalidArgumentException;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Settings of a {@link Backups}.
 *
 * @param set the backup set: backups of one store that form chains, with one retention hold on
 *     the source named {@code tito-backup.<set>}; letters, digits, '-' and '_', 1 to 60
 *     characters. Default {@code default}.
 * @param chunkBytes uncompressed bytes per chunk (64 KiB to 256 MiB; a chunk may exceed it by one
 *     record). Default 4 MiB.
 * @param progress told after each chunk. Default {@link BackupProgress#NONE}.
 * @param clock wall clock for ids, manifest times and retention ages. Default the system UTC clock.
 * @param parallelism threads that compress, hash and store chunks during a backup, and read,
 *     check and decode them ahead of the writer during verification and restore (1 to 64; at
 *     most this many chunks are in memory at once besides the one being filled or written).
 *     Default {@link #DEFAULT_PARALLELISM}.
 * @param compression codec of the chunks new backups write; restore reads either. Default
 *     {@link Compression#GZIP}; {@link Compression#ZSTD} is faster and needs zstd-jni.
 */
public record BackupOptions(String set, int chunkBytes, BackupProgress progress, Clock clock, int parallelism,
    Compression compression) {

  private static final Pattern SET = Pattern.compile("[A-Za-z0-9_-]{1,60}");

  /** The default chunk size: 4 MiB. */
  public static final int DEFAULT_CHUNK_BYTES = 4 << 20;

  /**
   * The default parallelism: the number of processors, at most 4 (compressing and hashing chunks is
   * the CPU cost of a backup; reading and checking them that of a restore).
   */
  public static final int DEFAULT_PARALLELISM = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /** Options with the {@linkplain #DEFAULT_PARALLELISM default parallelism} and gzip. */
  public BackupOptions(String set, int chunkBytes, BackupProgress progress, Clock clock) {
    this(set, chunkBytes, progress, clock, DEFAULT_PARALLELISM, Compression.GZIP);
  }

  public BackupOptions {
    if (set == null || !SET.matcher(set).matches()) {
      throw new InvalidArgumentException("backup set must be 1 to 60 letters, digits, '-' or '_'",
          Map.of("set", String.valueOf(set)));
    }
    if (chunkBytes < (64 << 10) || chunkBytes > (256 << 20)) {
      throw new InvalidArgumentException("chunkBytes must be between 64 KiB and 256 MiB",
          Map.of("chunkBytes", chunkBytes));
    }
    if (parallelism < 1 || parallelism > 64) {
      throw new InvalidArgumentException("parallelism must be between 1 and 64", Map.of("parallelism", parallelism));
    }
    if (compression == null) {
      throw new InvalidArgumentException("backup options must not be null", Map.of("setting", "compression"));
    }
    if (progress == null || clock == null) {
      throw new InvalidArgumentException("backup options must not be null",
          Map.of("setting", progress == null ? "progress" : "clock"));
    }
  }

  /** Every default. */
  public static BackupOptions defaults() {
    return new BackupOptions("default", DEFAULT_CHUNK_BYTES, BackupProgress.NONE, Clock.systemUTC());
  }

  /** These options with another set. */
  public BackupOptions withSet(String newSet) {
    return new BackupOptions(newSet, chunkBytes, progress, clock, parallelism, compression);
  }

  /** These options with another chunk size. */
  public BackupOptions withChunkBytes(int newChunkBytes) {
    return new BackupOptions(set, newChunkBytes, progress, clock, parallelism, compression);
  }

  /** These options with another progress listener. */
  public BackupOptions withProgress(BackupProgress newProgress) {
    return new BackupOptions(set, chunkBytes, newProgress, clock, parallelism, compression);
  }

  /** These options with another clock. */
  public BackupOptions withClock(Clock newClock) {
    return new BackupOptions(set, chunkBytes, progress, newClock, parallelism, compression);
  }

  /** These options with another parallelism (1 to 64; 1 does everything on the caller's thread). */
  public BackupOptions withParallelism(int newParallelism) {
    return new BackupOptions(set, chunkBytes, progress, clock, newParallelism, compression);
  }

  /** These options with another compression of new chunks. */
  public BackupOptions withCompression(Compression newCompression) {
    return new BackupOptions(set, chunkBytes, progress, clock, parallelism, newCompression);
  }

  /** The name of the retention hold this set keeps on its source store. */
  public String holdName() {
    return "tito-backup." + set;
  }
}
