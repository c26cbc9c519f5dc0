package io.tito.backup;

import static io.tito.backup.Stores.b;
import static io.tito.backup.Stores.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.memory.MemoryEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention by count and age never deletes a backup that a kept one depends on. */
class RetentionTest {

  @TempDir Path dir;
  private final MemoryEngine source = new MemoryEngine();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @AfterEach
  void close() {
    source.close();
  }

  private Backups backups() {
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    return Backups.of(LocalDirectoryStorage.in(dir), BackupOptions.defaults().withClock(clock));
  }

  private BackupManifest after(Duration d, boolean full) {
    now = now.plus(d);
    commit(source, tx -> tx.set(b("k" + now.toEpochMilli()), b("v")));
    return full ? backups().full(source) : backups().incremental(source);
  }

  @Test
  void keepsTheNewestAndEverythingTheyDependOn() {
    BackupManifest f1 = after(Duration.ofHours(1), true);
    BackupManifest i1 = after(Duration.ofHours(1), false);
    BackupManifest f2 = after(Duration.ofHours(1), true);
    BackupManifest i2 = after(Duration.ofHours(1), false);
    BackupManifest i3 = after(Duration.ofHours(1), false);
    now = now.plus(Duration.ofDays(30));
    List<String> deleted = backups().applyRetention(new RetentionPolicy(1, Duration.ZERO));
    assertThat(deleted).containsExactly(f1.id(), i1.id());
    assertThat(backups().list()).extracting(BackupManifest::id).containsExactly(f2.id(), i2.id(), i3.id());
  }

  @Test
  void keepsEverythingYoungerThanTheAge() {
    BackupManifest f1 = after(Duration.ofDays(1), true);
    BackupManifest f2 = after(Duration.ofDays(10), true);
    BackupManifest f3 = after(Duration.ofDays(1), true);
    List<String> deleted = backups().applyRetention(new RetentionPolicy(1, Duration.ofDays(5)));
    assertThat(deleted).containsExactly(f1.id());
    assertThat(backups().list()).extracting(BackupManifest::id).containsExactly(f2.id(), f3.id());
  }

  @Test
  void invalidPoliciesAreRefused() {
    assertThatThrownBy(() -> new RetentionPolicy(0, Duration.ZERO)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new RetentionPolicy(1, Duration.ofSeconds(-1))).isInstanceOf(InvalidArgumentException.class);
  }

}
