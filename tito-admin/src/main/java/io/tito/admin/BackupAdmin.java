package io.tito.admin;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.backup.BackupManifest;
import io.tito.backup.BackupOptions;
import io.tito.backup.BackupProgress;
import io.tito.backup.Backups;
import io.tito.backup.LocalDirectoryStorage;
import io.tito.backup.RestorePoint;
import io.tito.backup.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The operator's operations on one backup set in a local directory ({@link Backups} of
 * tito-backup): create a full or incremental backup of a store, list, verify, and restore into an
 * empty store. Progress (after each chunk) goes to the {@link BackupProgress} given. Thread-safe
 * as {@link Backups} is.
 */
public final class BackupAdmin {

  /** The set of {@link #in(Path, String, BackupProgress)} when none is named. */
  public static final String DEFAULT_SET = "default";

  private final Path directory;
  private final Backups backups;

  private BackupAdmin(Path directory, Backups backups) {
    this.directory = directory;
    this.backups = backups;
  }

  /**
   * The backup set {@code set} (null: {@value #DEFAULT_SET}) in {@code directory}.
   *
   * @param progress told after each chunk of a backup, verification or restore (null: nothing)
   * @throws InvalidArgumentException if {@code directory} is not an existing directory
   */
  public static BackupAdmin in(Path directory, String set, BackupProgress progress) {
    if (directory == null || !Files.isDirectory(directory)) {
      throw new InvalidArgumentException("the backup directory must exist",
          Map.of("dir", String.valueOf(directory)));
    }
    BackupOptions options = BackupOptions.defaults().withSet(set == null ? DEFAULT_SET : set)
        .withProgress(progress == null ? BackupProgress.NONE : progress);
    return new BackupAdmin(directory, Backups.of(LocalDirectoryStorage.in(directory), options));
  }

  /** The backup directory. */
  public Path directory() {
    return directory;
  }

  /** The backup set's name. */
  public String set() {
    return backups.options().set();
  }

  /**
   * Backs up {@code source}: a full backup (every key of one snapshot), or the commits since the
   * set's newest backup.
   *
   * @throws InvalidArgumentException for an incremental the engine or the set cannot give (no
   *     change feed, no full backup yet, changes no longer kept)
   */
  public BackupManifest create(Tito source, BackupManifest.Kind kind) {
    return kind == BackupManifest.Kind.INCREMENTAL ? backups.incremental(source.engine())
        : backups.full(source.engine());
  }

  /** The complete backups of the set, oldest first. */
  public List<BackupManifest> list() {
    return backups.list();
  }

  /** Backups of the set without a manifest (interrupted, or being written). */
  public List<String> incomplete() {
    return backups.incomplete();
  }

  /** Backups whose manifest fails its check, with the reason. */
  public Map<String, String> damaged() {
    return backups.damaged();
  }

  /**
   * Reads and checks backup {@code backupId} (null: the newest) and every backup it depends on.
   *
   * @return the chain, full backup first
   * @throws NotFoundException if there is no such backup (or none at all)
   * @throws io.tito.StorageException naming the backup and the damage
   */
  public List<BackupManifest> verify(String backupId) {
    String id = backupId;
    if (id == null) {
      List<BackupManifest> all = backups.list();
      if (all.isEmpty()) {
        throw new NotFoundException("no backup in the set",
            Map.of("dir", directory.toString(), "set", set()));
      }
      id = all.get(all.size() - 1).id();
    }
    return backups.verify(id);
  }

  /**
   * Restores the set's state at {@code point} into {@code target}, which must be empty; every
   * chunk is checked before the first write.
   *
   * @throws InvalidArgumentException if no chain reaches the point or the target is not empty
   * @throws io.tito.StorageException if a backup is damaged (target untouched)
   */
  public RestoreResult restore(RestorePoint point, Tito target) {
    return backups.restore(point, target.engine());
  }
}
