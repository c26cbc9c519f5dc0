package io.tito.backup;

import static io.tito.backup.Stores.b;
import static io.tito.backup.Stores.commit;
import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.StorageException;
import io.tito.memory.MemoryEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted, truncated and missing chunks and manifests, and broken chains: verify and restore
 * fail with an error naming the backup and the damage, and the target stays empty.
 */
class DamagedBackupTest {

  @TempDir Path dir;
  private final MemoryEngine source = new MemoryEngine();
  private final MemoryEngine target = new MemoryEngine();
  private Backups backups;
  private BackupManifest full;
  private BackupManifest incremental;

  @BeforeEach
  void backUp() {
    backups = Backups.of(LocalDirectoryStorage.in(dir), BackupOptions.defaults().withChunkBytes(64 << 10));
    commit(source, tx -> {
      for (int i = 0; i < 5000; i++) {
        tx.set(b("k" + i), b("some value " + i));
      }
    });
    full = backups.full(source);
    commit(source, tx -> tx.set(b("later"), b("change")));
    incremental = backups.incremental(source);
    assertThat(full.chunks().size()).isGreaterThan(1);
  }

  @AfterEach
  void close() {
    source.close();
    target.close();
  }

  private Path file(BackupManifest m, String name) {
    return dir.resolve(m.id()).resolve(name);
  }

  private void assertRestoreFails(String message) {
    assertThatThrownBy(() -> backups.restore(RestorePoint.latest(), target))
        .isInstanceOf(StorageException.class).hasMessageContaining("backup is damaged").hasMessageContaining(message);
    assertThat(dump(target)).as("target untouched").isEmpty();
  }

  @Test
  void aFlippedByteInAChunkIsACheckumMismatch() throws IOException {
    Path chunk = file(full, full.chunks().get(1).name());
    byte[] bytes = Files.readAllBytes(chunk);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(chunk, bytes);
    assertRestoreFails("checksum mismatch");
    assertThatThrownBy(() -> backups.verify(incremental.id())).hasMessageContaining("checksum mismatch")
        .hasMessageContaining(full.chunks().get(1).name());
  }

  @Test
  void aTruncatedChunkIsReportedAsTruncated() throws IOException {
    Path chunk = file(full, full.chunks().get(0).name());
    byte[] bytes = Files.readAllBytes(chunk);
    Files.write(chunk, Arrays.copyOf(bytes, bytes.length - 10));
    assertRestoreFails("truncated");
  }

  @Test
  void aMissingChunkIsReportedAsMissing() throws IOException {
    Files.delete(file(full, full.chunks().get(full.chunks().size() - 1).name()));
    assertRestoreFails("is missing");
  }

  @Test
  void aDamagedIncrementalChunkFailsBeforeTheFullBackupIsWritten() throws IOException {
    Path chunk = file(incremental, incremental.chunks().get(0).name());
    byte[] bytes = Files.readAllBytes(chunk);
    bytes[bytes.length - 1] ^= 0x01;
    Files.write(chunk, bytes);
    assertRestoreFails("checksum mismatch");
  }

  @Test
  void anEditedManifestIsDetected() throws IOException {
    Path manifest = file(full, BackupManifest.FILE);
    String json = Files.readString(manifest).replace("\"entries\" : 5000", "\"entries\" : 4999");
    Files.writeString(manifest, json);
    assertThat(backups.damaged()).containsKey(full.id());
    assertRestoreFails("missing or damaged");
  }

  @Test
  void aMissingParentBreaksTheChain() throws IOException {
    Files.delete(file(full, BackupManifest.FILE));
    assertThat(backups.incomplete()).containsExactly(full.id());
    assertRestoreFails("missing or damaged");
  }

  @Test
  void anIntactChainStillRestores() {
    backups.restore(RestorePoint.latest(), target);
    assertThat(dump(target)).isEqualTo(dump(source));
  }
}
