package io.tito.backup;

import static io.tito.backup.Stores.b;
import static io.tito.backup.Stores.commit;
import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.StorageException;
import io.tito.rocksdb.RocksDbEngine;
import io.tito.spi.BulkLoader;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores into a target declaring {@link Capability#BULK_LOAD} (RocksDB): the full backup goes in
 * through the bulk loader (its chunks checked as they are loaded), the incrementals through
 * transactions, and a chunk found damaged in the middle of the load, or an incremental found
 * damaged after the load, leaves the target empty, with no staged files.
 */
class BulkLoadRestoreTest {

  @TempDir Path dir;
  private RocksDbEngine source;
  private final List<Engine> engines = new ArrayList<>();
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
  void close() {
    engines.forEach(Engine::close);
  }

  private <E extends Engine> E track(E engine) {
    engines.add(engine);
    return engine;
  }

  private Counting target(String name) {
    return track(new Counting(RocksDbEngine.open(dir.resolve(name))));
  }

  @Test
  void theFullBackupIsBulkLoadedAndIncrementalsAreApplied() {
    Counting target = target("target");
    RestoreResult result = backups.restore(RestorePoint.latest(), target);
    assertThat(dump(target)).isEqualTo(dump(source));
    assertThat(target.bulkLoaders.get()).isEqualTo(1);
    assertThat(result.entries()).isEqualTo(full.entries());
    assertThat(result.commits()).isEqualTo(1);
    assertThat(target.writers.get()).as("transactions: the incremental, and the loader's own").isLessThan(10);
    commit(target, tx -> tx.set(b("after"), b("restore")));
    assertThat(dump(target)).as("the restored store takes commits").hasSize(dump(source).size() + 1);
  }

  @Test
  void aRestoreAtTheFullBackupIsOnlyTheBulkLoad() {
    Counting target = target("target");
    backups.restore(RestorePoint.atVersion(full.toVersion()), target);
    assertThat(dump(target)).hasSize((int) full.entries());
    assertThat(target.bulkLoaders.get()).isEqualTo(1);
  }

  @Test
  void aChunkFoundDamagedMidLoadLeavesTheTargetEmptyAndNothingStaged() throws IOException {
    Counting target = target("target");
    // The full backup is checked while it is loaded (read once): chunks before this one are staged.
    storage.damageFromRead(full.id(), full.chunks().get(full.chunks().size() / 2).name(), 1);
    assertThatThrownBy(() -> backups.restore(RestorePoint.latest(), target))
        .isInstanceOf(StorageException.class).hasMessageContaining("backup is damaged").hasMessageContaining("checksum mismatch");
    assertThat(target.bulkLoaders.get()).isEqualTo(1);
    assertThat(dump(target)).as("target untouched").isEmpty();
    try (Stream<Path> files = Files.list(dir.resolve("target"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("bulk-load-"));
    }
    storage.damaged.clear();
    backups.restore(RestorePoint.latest(), target);
    assertThat(dump(target)).as("a later restore succeeds").isEqualTo(dump(source));
  }

  @Test
  void anIncrementalDamagedAfterTheBulkLoadLeavesTheTargetEmpty() {
    Counting target = target("target");
    BackupManifest incremental = backups.list().get(backups.list().size() - 1);
    storage.damageFromRead(incremental.id(), incremental.chunks().get(0).name(), 2);
    assertThatThrownBy(() -> backups.restore(RestorePoint.latest(), target)).isInstanceOf(StorageException.class);
    assertThat(target.bulkLoaders.get()).isEqualTo(1);
    assertThat(dump(target)).as("the loaded full backup was cleared again").isEmpty();
  }

  @Test
  void aTargetWithChangeFeedHoldsIsRestoredThroughTransactions() {
    Counting target = target("target");
    target.changeFeed().placeHold("next-backup");
    backups.restore(RestorePoint.latest(), target);
    assertThat(dump(target)).isEqualTo(dump(source));
    assertThat(target.bulkLoaders.get()).isZero();
    assertThat(target.writers.get()).isGreaterThan(1);
  }

  /** Counts the loaders and read-write transactions the restore asks for. */
  static final class Counting extends ForwardingEngine {
    final AtomicInteger bulkLoaders = new AtomicInteger();
    final AtomicInteger writers = new AtomicInteger();

    Counting(Engine delegate) {
      super(delegate);
    }

    @Override
    public BulkLoader bulkLoader() {
      bulkLoaders.incrementAndGet();
      return super.bulkLoader();
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      if (!readOnly) {
        writers.incrementAndGet();
      }
      return super.begin(readOnly);
    }
  }

  /** Serves chosen files damaged from their n-th read on (after verification passed, for n = 2). */
  static final class DamagingStorage implements BackupStorage {
    private final BackupStorage delegate;
    final Map<String, AtomicInteger> damaged = new ConcurrentHashMap<>();

    DamagingStorage(BackupStorage delegate) {
      this.delegate = delegate;
    }

    /** Serves {@code name} intact on reads before the {@code fromRead}-th (1-based), damaged from it on. */
    void damageFromRead(String backupId, String name, int fromRead) {
      damaged.put(backupId + "/" + name, new AtomicInteger(1 - fromRead));
    }

    @Override
    public List<String> backupIds() {
      return delegate.backupIds();
    }

    @Override
    public List<String> files(String backupId) {
      return delegate.files(backupId);
    }

    @Override
    public OutputStream create(String backupId, String name) {
      return delegate.create(backupId, name);
    }

    @Override
    public InputStream open(String backupId, String name) {
      AtomicInteger reads = damaged.get(backupId + "/" + name);
      if (reads == null || reads.getAndIncrement() < 0) {
        return delegate.open(backupId, name);
      }
      try (InputStream in = delegate.open(backupId, name)) {
        byte[] bytes = in.readAllBytes();
        bytes[bytes.length / 2] ^= 0x40;
        return new ByteArrayInputStream(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void delete(String backupId) {
      delegate.delete(backupId);
    }
  }
}
