/**
 * Tito backup: full and incremental backups of a store in checksummed, compressed chunks, and
 * verified point-in-time restore into an empty store of any engine ({@code io.tito.backup}).
 * {@code io.tito.internal.backup} is not exported.
 */
module io.tito.backup {
  requires transitive io.tito.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  // S3Storage only; applications using it add software.amazon.awssdk:s3.
  requires static software.amazon.awssdk.services.s3;
  requires static software.amazon.awssdk.core;
  requires static software.amazon.awssdk.awscore;
  // Compression.ZSTD only; applications using it add com.github.luben:zstd-jni.
  requires static com.github.luben.zstd_jni;

  exports io.tito.backup;
}
