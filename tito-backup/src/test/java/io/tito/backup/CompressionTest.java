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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * zstd chunks, a set mixing gzip and zstd backups, and parallel chunk writing and reading: every
 * chunk restores to the same keys, whatever its codec and whatever thread wrote it, in order.
 */
class CompressionTest {

  @TempDir Path dir;
  @RegisterExtension final MemoryStores stores = new MemoryStores();
  private final MemoryEngine source = stores.source();

  private MemoryEngine target() {
    return stores.target();
  }

  private void load(int from, int to) {
    commit(source, tx -> {
      for (int i = from; i < to; i++) {
        tx.set(b(String.format("k%06d", i)), b("value " + i + " ".repeat(i % 50)));
      }
    });
  }

  @Test
  void zstdAndGzipBackupsOfOneChainRestoreEveryPoint() {
    BackupOptions gzip = BackupOptions.defaults().withChunkBytes(64 << 10).withParallelism(3);
    BackupOptions zstd = gzip.withCompression(Compression.ZSTD);
    load(0, 8000);
    BackupManifest full = Backups.of(LocalDirectoryStorage.in(dir), zstd).full(source);
    assertThat(full.chunks()).hasSizeGreaterThan(3).allMatch(c -> c.name().endsWith(".zst"));
    List<String> atFull = dump(source);
    load(8000, 9000);
    commit(source, tx -> tx.clearRange(b("k000100"), b("k000900")));
    BackupManifest incr = Backups.of(LocalDirectoryStorage.in(dir), gzip).incremental(source);
    assertThat(incr.chunks()).allMatch(c -> c.name().endsWith(".gz"));
    List<String> atIncr = dump(source);
    load(9000, 9500);
    BackupManifest incr2 = Backups.of(LocalDirectoryStorage.in(dir), zstd).incremental(source);
    Backups reader = Backups.of(LocalDirectoryStorage.in(dir), gzip.withParallelism(1));
    reader.verify(incr2.id());

    MemoryEngine t1 = target();
    reader.restore(RestorePoint.atVersion(full.toVersion()), t1);
    assertThat(dump(t1)).isEqualTo(atFull);
    MemoryEngine t2 = target();
    Backups.of(LocalDirectoryStorage.in(dir), zstd).restore(RestorePoint.atVersion(incr.toVersion()), t2);
    assertThat(dump(t2)).isEqualTo(atIncr);
    MemoryEngine t3 = target();
    reader.restore(RestorePoint.latest(), t3);
    assertThat(dump(t3)).isEqualTo(dump(source));
    reader.releaseHold(source);
  }

  @Test
  void aDamagedZstdChunkIsReportedAndNothingWritten() throws IOException {
    load(0, 3000);
    Backups backups = Backups.of(LocalDirectoryStorage.in(dir),
        BackupOptions.defaults().withChunkBytes(64 << 10).withCompression(Compression.ZSTD));
    BackupManifest full = backups.full(source);
    BackupManifest.Chunk victim = full.chunks().get(1);
    Path file = dir.resolve(full.id()).resolve(victim.name());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(file, bytes);
    MemoryEngine t = target();
    assertThatThrownBy(() -> backups.restore(RestorePoint.latest(), t)).isInstanceOf(StorageException.class)
        .hasMessageContaining("backup is damaged").hasMessageContaining(victim.name())
        .hasMessageContaining("checksum mismatch");
    assertThat(dump(t)).isEmpty();
    backups.releaseHold(source);
  }

  @Test
  void parallelChunksKeepTheirOrderInTheManifest() {
    load(0, 20_000);
    BackupManifest m = Backups.of(LocalDirectoryStorage.in(dir),
        BackupOptions.defaults().withChunkBytes(64 << 10).withParallelism(4)).full(source);
    assertThat(m.chunks()).extracting(BackupManifest.Chunk::name).isSorted();
    for (int i = 1; i < m.chunks().size(); i++) {
      assertThat(m.chunks().get(i).first()).isGreaterThan(m.chunks().get(i - 1).last());
    }
    assertThat(m.chunks().stream().mapToLong(BackupManifest.Chunk::entries).sum()).isEqualTo(20_000);
  }
}
