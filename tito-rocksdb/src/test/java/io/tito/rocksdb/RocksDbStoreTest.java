package io.tito.rocksdb;

import static io.tito.rocksdb.TestStores.get;
import static io.tito.rocksdb.TestStores.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.StorageException;
import io.tito.TitoException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** Store identity (the marker), locking, and what is refused. */
class RocksDbStoreTest {

  @TempDir Path dir;

  @Test
  void newStoreIsMarkedAndReopens() {
    Path store = dir.resolve("a/b/store");
    try (RocksDbEngine engine = TestStores.open(store, Durability.SYNC)) {
      put(engine, "k", "v");
    }
    assertThat(store.resolve(StoreDirectory.MARKER)).isRegularFile()
        .content().contains("tito.store=rocksdb").contains("tito.formatVersion=2");
    try (RocksDbEngine engine = TestStores.open(store, Durability.SYNC)) {
      assertThat(get(engine, "k")).isEqualTo("v");
    }
  }

  @Test
  void secondOpenInTheSameJvmIsRefusedClearly() {
    try (RocksDbEngine engine = TestStores.open(dir, Durability.GROUP)) {
      put(engine, "k", "v");
      assertThatThrownBy(() -> TestStores.open(dir, Durability.GROUP))
          .isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.staticMessage()).isEqualTo("store is locked by another process");
            assertThat(e.context()).containsEntry("path", dir.toAbsolutePath().normalize());
          });
      assertThat(get(engine, "k")).isEqualTo("v");
    }
    try (RocksDbEngine engine = TestStores.open(dir, Durability.GROUP)) {
      assertThat(get(engine, "k")).isEqualTo("v");
    }
  }

  @Test
  void storeHeldByAnotherProcessIsRefusedClearly() throws Exception {
    try (RocksDbEngine engine = TestStores.open(dir, Durability.GROUP)) {
      put(engine, "k", "v");
    }
    Process child = ChildProcess.start(ChildProcess.Holder.class, dir.toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        OutputStream in = child.getOutputStream()) {
      assertThat(out.readLine()).isEqualTo("OPEN");
      assertThatThrownBy(() -> TestStores.open(dir, Durability.GROUP))
          .isInstanceOfSatisfying(StorageException.class,
              e -> assertThat(e.staticMessage()).isEqualTo("store is locked by another process"));
      in.write("close\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(out.readLine()).isEqualTo("CLOSED");
    } finally {
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    try (RocksDbEngine engine = TestStores.open(dir, Durability.GROUP)) {
      assertThat(get(engine, "k")).isEqualTo("v");
    }
  }

  @Test
  void directoryWithOtherFilesIsNotATitoStore() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "hello");
    assertNotATitoStore(dir);
    assertThat(dir.resolve(StoreDirectory.MARKER)).doesNotExist();
  }

  @Test
  void plainRocksDbDirectoryIsNotATitoStore() throws Exception {
    try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, dir.toString())) {
      db.put(new byte[] {1}, new byte[] {2});
    }
    assertNotATitoStore(dir);
  }

  private static void assertNotATitoStore(Path dir) {
    assertThatThrownBy(() -> TestStores.open(dir, Durability.GROUP))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.staticMessage()).isEqualTo("directory is not a Tito store");
          assertThat(e.context()).containsEntry("path", dir.toAbsolutePath().normalize());
        });
  }

  @Test
  void newerFormatVersionIsRefused() throws Exception {
    try (RocksDbEngine engine = TestStores.open(dir, Durability.GROUP)) {
      put(engine, "k", "v");
    }
    Files.writeString(dir.resolve(StoreDirectory.MARKER), "tito.store=rocksdb\ntito.formatVersion=99\n");
    assertThatThrownBy(() -> TestStores.open(dir, Durability.GROUP))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.getMessage()).contains("newer").contains("formatVersion=99");
          assertThat(e.context()).containsEntry("supportedFormatVersion", StoreDirectory.FORMAT_VERSION);
        });
  }

  /** A format 1 store (no metadata column family) opens, keeps its keys and is upgraded. */
  @Test
  void formatOneStoresAreUpgradedOnOpen() throws Exception {
    java.nio.file.Files.createDirectories(dir);
    try (org.rocksdb.Options o = new org.rocksdb.Options().setCreateIfMissing(true);
        org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(o, dir.toString())) {
      db.put("k".getBytes(), "v".getBytes());
    }
    Files.writeString(dir.resolve(StoreDirectory.MARKER), "tito.store=rocksdb\ntito.formatVersion=1\n");
    try (RocksDbEngine engine = TestStores.open(dir, Durability.SYNC)) {
      try (io.tito.spi.EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get("k".getBytes())).isEqualTo("v".getBytes());
      }
      assertThat(engine.changeFeed().currentVersion()).isZero();
      put(engine, "k2", "v2");
      assertThat(engine.changeFeed().currentVersion()).isEqualTo(1);
    }
    assertThat(dir.resolve(StoreDirectory.MARKER)).content().contains("tito.formatVersion=" + StoreDirectory.FORMAT_VERSION);
    try (RocksDbEngine engine = TestStores.open(dir, Durability.SYNC)) {
      assertThat(engine.changeFeed().currentVersion()).as("version survives reopen").isEqualTo(1);
    }
  }

  @Test
  void missingStoreIsNotCreatedWhenAskedNotTo() {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> RocksDbEngine.open(RocksDbOptions.builder(missing).createIfMissing(false).build()))
        .isInstanceOf(StorageException.class).hasMessageContaining("store does not exist");
    assertThat(missing).doesNotExist();
    assertThatThrownBy(() -> RocksDbEngine.open(RocksDbOptions.builder(dir).createIfMissing(false).build()))
        .isInstanceOf(StorageException.class).hasMessageContaining("store does not exist");
  }

  @Test
  void storeWhoseRocksDbCurrentFileIsLostIsRefusedNotRecreated() throws Exception {
    try (RocksDbEngine engine = TestStores.open(dir, Durability.SYNC)) {
      put(engine, "k", "v");
    }
    Files.delete(dir.resolve("CURRENT"));
    assertThatThrownBy(() -> TestStores.open(dir, Durability.SYNC))
        .isInstanceOf(StorageException.class).hasMessageContaining("damaged");
  }

  @Test
  void pathThatIsAFileIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> TestStores.open(file, Durability.SYNC))
        .isInstanceOf(StorageException.class).hasMessageContaining("not a directory");
  }

  @Test
  void failedOpenLeavesNothingOpen() throws Exception {
    try (RocksDbEngine engine = TestStores.open(dir, Durability.GROUP)) {
      int before = TestStores.openFileDescriptors();
      for (int i = 0; i < 50; i++) {
        assertThatThrownBy(() -> TestStores.open(dir, Durability.GROUP)).isInstanceOf(TitoException.class);
      }
      assertThat(TestStores.openFileDescriptors()).isLessThanOrEqualTo(before + 5);
    }
  }
}
