package io.tito.backup;

import static io.tito.backup.Stores.b;
import static io.tito.backup.Stores.commit;
import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.memory.MemoryEngine;
import io.tito.spi.ChangeFeed;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Full and incremental backups of the memory engine and restores at every kind of point. */
class BackupRestoreTest {

  @TempDir Path dir;
  @RegisterExtension final MemoryStores stores = new MemoryStores();
  private final MemoryEngine source = stores.source();

  private MemoryEngine target() {
    return stores.target();
  }

  private Backups backups() {
    return Backups.of(LocalDirectoryStorage.in(dir), BackupOptions.defaults().withChunkBytes(64 << 10));
  }

  @Test
  void fullBackupRestoresEveryKeyAcrossManyChunks() {
    for (int batch = 0; batch < 10; batch++) {
      int base = batch * 1000;
      commit(source, tx -> {
        for (int i = base; i < base + 1000; i++) {
          tx.set(b(String.format("k%06d", i)), b("value " + i + " ".repeat(i % 50)));
        }
      });
    }
    commit(source, tx -> tx.set(new byte[] {(byte) 0xFF, (byte) 0xFF, 1}, b("high key")));
    commit(source, tx -> tx.set(new byte[0], b("empty key")));
    List<String> expected = dump(source);
    List<BackupProgress.Status> progress = new ArrayList<>();
    Backups backups = Backups.of(LocalDirectoryStorage.in(dir),
        BackupOptions.defaults().withChunkBytes(64 << 10).withProgress(progress::add));
    BackupManifest m = backups.full(source);
    assertThat(m.entries()).isEqualTo(10_002);
    assertThat(m.chunks().size()).as("chunks").isGreaterThan(3);
    assertThat(m.versioned()).isTrue();
    assertThat(m.toVersion()).isEqualTo(source.changeFeed().currentVersion());
    assertThat(m.storedBytes()).as("compressed").isLessThan(m.rawBytes());
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1).entries()).isEqualTo(10_002);
    assertThat(backups.verify(m.id())).extracting(BackupManifest::id).containsExactly(m.id());
    MemoryEngine target = target();
    RestoreResult r = backups.restore(RestorePoint.latest(), target);
    assertThat(r.entries()).isEqualTo(10_002);
    assertThat(r.version()).isEqualTo(m.toVersion());
    assertThat(dump(target)).isEqualTo(expected);
  }

  @Test
  void incrementalChainRestoresEveryVersionInBetween() {
    Backups backups = backups();
    commit(source, tx -> {
      tx.set(b("a"), b("1"));
      tx.set(b("b"), b("1"));
    });
    BackupManifest full = backups.full(source);
    List<Long> versions = new ArrayList<>();
    List<List<String>> states = new ArrayList<>();
    versions.add(full.toVersion());
    states.add(dump(source));
    String[] steps = {"set c", "clear a", "range b..d", "set b", "set a"};
    List<BackupManifest> incrementals = new ArrayList<>();
    for (int i = 0; i < steps.length; i++) {
      String step = steps[i];
      commit(source, tx -> {
        switch (step) {
          case "set c" -> tx.set(b("c"), b("2"));
          case "clear a" -> tx.clear(b("a"));
          case "range b..d" -> tx.clearRange(b("b"), b("d"));
          case "set b" -> tx.set(b("b"), b("3"));
          default -> tx.set(b("a"), b("4"));
        }
      });
      versions.add(source.changeFeed().currentVersion());
      states.add(dump(source));
      if (i % 2 == 1) {
        incrementals.add(backups.incremental(source));
      }
    }
    incrementals.add(backups.incremental(source));
    assertThat(incrementals.get(0).parent()).isEqualTo(full.id());
    assertThat(incrementals.get(1).parent()).isEqualTo(incrementals.get(0).id());
    assertThat(source.changeFeed().holdVersion(backups.options().holdName()))
        .hasValue(incrementals.get(incrementals.size() - 1).toVersion());
    for (int i = 0; i < versions.size(); i++) {
      MemoryEngine target = target();
      RestoreResult r = backups.restore(RestorePoint.atVersion(versions.get(i)), target);
      assertThat(dump(target)).as("state at version %s", versions.get(i)).isEqualTo(states.get(i));
      assertThat(r.version()).isEqualTo(versions.get(i));
    }
    MemoryEngine latest = target();
    backups.restore(RestorePoint.latest(), latest);
    assertThat(dump(latest)).isEqualTo(states.get(states.size() - 1));
    assertThat(backups.verify(incrementals.get(2).id())).hasSize(4);
  }

  @Test
  void restoreAtATimeStopsBeforeLaterCommits() throws InterruptedException {
    Backups backups = backups();
    commit(source, tx -> tx.set(b("x"), b("0")));
    backups.full(source);
    List<Instant> times = new ArrayList<>();
    List<List<String>> states = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      awaitNextMillisecond();
      int n = i;
      commit(source, tx -> tx.set(b("x"), b(Integer.toString(n))));
      states.add(dump(source));
      awaitNextMillisecond();
      times.add(Instant.now());
    }
    backups.incremental(source);
    for (int i = 0; i < times.size(); i++) {
      MemoryEngine target = target();
      backups.restore(RestorePoint.atTime(times.get(i)), target);
      assertThat(dump(target)).as("state at %s", times.get(i)).isEqualTo(states.get(i));
    }
  }

  private static void awaitNextMillisecond() {
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() <= now) {
      Thread.onSpinWait();
    }
  }

  @Test
  void restoreRefusesATargetThatIsNotEmpty() {
    Backups backups = backups();
    commit(source, tx -> tx.set(b("a"), b("1")));
    backups.full(source);
    MemoryEngine target = target();
    commit(target, tx -> tx.set(b("already"), b("here")));
    assertThatThrownBy(() -> backups.restore(RestorePoint.latest(), target))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not empty");
    assertThat(dump(target)).hasSize(1);
  }

  @Test
  void incrementalNeedsAFullBackupAndAHold() {
    Backups backups = backups();
    assertThatThrownBy(() -> backups.incremental(source)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("full backup first");
    backups.full(source);
    backups.releaseHold(source);
    commit(source, tx -> tx.set(b("a"), b("1")));
    assertThatThrownBy(() -> backups.incremental(source)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("not kept");
  }

  @Test
  void versionsNoChainReachesAreRefusedWithTheRestorableRanges() {
    Backups backups = backups();
    commit(source, tx -> tx.set(b("a"), b("1")));
    commit(source, tx -> tx.set(b("a"), b("2")));
    BackupManifest full = backups.full(source);
    assertThatThrownBy(() -> backups.restore(RestorePoint.atVersion(full.toVersion() - 1), target()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("no chain");
    assertThatThrownBy(() -> backups.restore(RestorePoint.atVersion(full.toVersion() + 1), target()))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("restorable");
  }

  @Test
  void theFeedKeepsNothingWithoutHolds() {
    commit(source, tx -> tx.set(b("a"), b("1")));
    ChangeFeed feed = source.changeFeed();
    assertThat(feed.holds()).isEmpty();
    Backups backups = backups();
    backups.full(source);
    assertThat(feed.holds()).containsOnlyKeys("tito-backup.default");
    backups.releaseHold(source);
    assertThat(feed.holds()).isEmpty();
  }
}
