package io.tito.backup;

import static io.tito.backup.Stores.b;
import static io.tito.backup.Stores.commit;
import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.memory.MemoryEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups taken in one millisecond (or after the clock went back) still sort in the order they
 * were taken, so an incremental follows the newest backup. Found by the round-trip property: a
 * full backup taken in the millisecond of an incremental sorted before it, and the next
 * incremental failed, since the full backup's hold no longer kept the older one's changes.
 */
class BackupIdOrderTest {

  @TempDir Path dir;

  @Test
  void backupsInOneMillisecondFollowEachOtherInTheOrderTaken() {
    Clock frozen = Clock.fixed(Instant.parse("2026-12-01T16:41:11.720Z"), ZoneOffset.UTC);
    Backups backups = Backups.of(LocalDirectoryStorage.in(dir), BackupOptions.defaults().withClock(frozen));
    try (MemoryEngine source = new MemoryEngine(); MemoryEngine target = new MemoryEngine()) {
      commit(source, tx -> tx.set(b("a"), b("1")));
      BackupManifest full1 = backups.full(source);
      commit(source, tx -> tx.set(b("b"), b("2")));
      BackupManifest incr1 = backups.incremental(source);
      commit(source, tx -> tx.set(b("c"), b("3")));
      BackupManifest full2 = backups.full(source); // same millisecond as incr1
      commit(source, tx -> tx.clear(b("a")));
      BackupManifest incr2 = backups.incremental(source);

      assertThat(incr2.parent()).isEqualTo(full2.id());
      assertThat(backups.list()).extracting(BackupManifest::id)
          .containsExactly(full1.id(), incr1.id(), full2.id(), incr2.id());
      backups.restore(RestorePoint.latest(), target);
      assertThat(dump(target)).isEqualTo(dump(source));
      assertThat(dump(target)).hasSize(2); // b and c: a was cleared after the second full backup
    }
  }
}
