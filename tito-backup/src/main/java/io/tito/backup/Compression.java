package io.tito.backup;

/**
 * How backup chunks are compressed; recorded per chunk by its file name, so a backup set may mix
 * them and restore reads each chunk the way it was written.
 */
public enum Compression {
  /** gzip at level 1, from the JDK (file suffix {@code .gz}). The default: no dependency. */
  GZIP,
  /**
   * Zstandard at level 1 (suffix {@code .zst}): about 5 times less CPU to compress and 6 times
   * less to decompress than gzip level 1, and smaller. Needs {@code com.github.luben:zstd-jni}
   * (an optional dependency of this module, with its native library) when backing up and when
   * restoring such chunks.
   */
  ZSTD
}
