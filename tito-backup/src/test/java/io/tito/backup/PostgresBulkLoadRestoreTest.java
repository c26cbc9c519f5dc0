package io.tito.backup;

import static io.tito.backup.Stores.b;
import static io.tito.backup.Stores.commit;
import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.StorageException;
import io.tito.backup.BulkLoadRestoreTest.Counting;
import io.tito.backup.BulkLoadRestoreTest.DamagingStorage;
import io.tito.rocksdb.RocksDbEngine;
import io.tito.spi.Capability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores into PostgreSQL, which declares {@link Capability#BULK_LOAD} (binary {@code COPY}): the
 * full backup goes in through the loader, the incremental through transactions, the restored
 * store takes commits, and a chunk found damaged in the middle of the load leaves the table empty.
 */
class PostgresBulkLoadRestoreTest {

  @TempDir Path dir;
  private final List<String> tables = new ArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private RocksDbEngine source;
  private DamagingStorage storage;
  private Backups backups;
  private BackupManifest full;

  @BeforeEach
  void backUp() {
    source = track(RocksDbEngine.open(dir.resolve("source")));
    storage = new DamagingStorage(LocalDirectoryStorage.in(dir.resolve("backups")));
    backups = Backups.of(storage, BackupOptions.defaults().withChunkBytes(64 << 10));
    Stores.writeBulkHistory(source);
    full = backups.full(source);
    assertThat(full.chunks().size()).isGreaterThan(3);
    Stores.changeBulkHistory(source);
    backups.incremental(source);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    CrossEngineRestoreTest.dropTables(tables);
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private Counting target() {
    return track(new Counting(CrossEngineRestoreTest.postgres(tables)));
  }

  @Test
  void theFullBackupIsLoadedWithCopyAndIncrementalsAreApplied() {
    Counting target = target();
    assertThat(target.capabilities()).contains(Capability.BULK_LOAD);
    RestoreResult result = backups.restore(RestorePoint.latest(), target);
    assertThat(dump(target)).isEqualTo(dump(source));
    assertThat(target.bulkLoaders.get()).isEqualTo(1);
    assertThat(result.entries()).isEqualTo(full.entries());
    assertThat(result.commits()).isEqualTo(1);
    assertThat(target.writers.get()).as("transactions: the incremental's").isLessThan(10);
    commit(target, tx -> {
      tx.set(b("after"), b("restore"));
      tx.set(b("k000003"), b("overwritten"));
    });
    List<String> after = dump(target);
    assertThat(after).as("the restored store takes commits over loaded keys").hasSize(dump(source).size() + 1)
        .contains(hex("k000003") + "=" + hex("overwritten"));
  }

  private static String hex(String s) {
    return java.util.HexFormat.of().formatHex(b(s));
  }

  @Test
  void aChunkFoundDamagedMidLoadLeavesTheTableEmpty() {
    Counting target = target();
    storage.damageFromRead(full.id(), full.chunks().get(full.chunks().size() / 2).name(), 1);
    assertThatThrownBy(() -> backups.restore(RestorePoint.latest(), target))
        .isInstanceOf(StorageException.class).hasMessageContaining("checksum mismatch");
    assertThat(target.bulkLoaders.get()).isEqualTo(1);
    assertThat(dump(target)).as("target untouched").isEmpty();
    storage.damaged.clear();
    backups.restore(RestorePoint.latest(), target);
    assertThat(dump(target)).as("a later restore succeeds").isEqualTo(dump(source));
  }
}
