package io.tito.backup;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.internal.backup.BackupWriter;
import io.tito.internal.backup.Catalog;
import io.tito.internal.backup.ChunkReader;
import io.tito.internal.backup.Restorer;
import io.tito.internal.backup.Retention;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import java.util.List;
import java.util.Map;

/**
 * Backups of one set in one {@link BackupStorage}: take full and incremental backups of a store,
 * list and verify them, restore any reachable state into an empty store of any engine, and apply
 * retention. The API a command-line tool calls.
 *
 * <p><b>Full backup</b> ({@link #full}): every key of one consistent snapshot of the source,
 * read through one read-only transaction while writers go on, in gzip chunks with SHA-256
 * checksums and a manifest written last. The snapshot must be read within the source engine's
 * maximum transaction age. On an engine with {@link Capability#CHANGE_FEED} the backup records the
 * snapshot's commit version and places (or moves) the set's retention hold so that the next
 * incremental finds every later change.
 *
 * <p><b>Incremental backup</b> ({@link #incremental}): the commits after the newest backup of the
 * set, in commit order with versions and times, read from the source's change feed.
 *
 * <p><b>Restore</b> ({@link #restore}): picks the chain (a full backup and the incrementals that
 * follow it) reaching the point, reads and checks every chunk of it and checks that the target is
 * empty, all before writing anything; then writes the full backup's entries and applies the
 * commits up to the point. A damaged, truncated or missing chunk or manifest fails the restore
 * with a {@link io.tito.StorageException} ("backup is damaged: ...") and the target untouched.
 *
 * <p>Thread-safe as far as the storage is; run one backup of a set at a time.
 */
public final class Backups {

  private final BackupStorage storage;
  private final BackupOptions options;
  private final Catalog catalog;
  private final ChunkReader reader;

  private Backups(BackupStorage storage, BackupOptions options) {
    this.storage = storage;
    this.options = options;
    this.catalog = new Catalog(storage, options.set());
    this.reader = new ChunkReader(storage, options.parallelism());
  }

  /** Backups of the set {@code options.set()} in {@code storage}. */
  public static Backups of(BackupStorage storage, BackupOptions options) {
    if (storage == null || options == null) {
      throw new InvalidArgumentException("backup storage and options must not be null",
          Map.of("setting", storage == null ? "storage" : "options"));
    }
    return new Backups(storage, options);
  }

  /** Backups of the {@code default} set with every default option. */
  public static Backups of(BackupStorage storage) {
    return of(storage, BackupOptions.defaults());
  }

  /** The options. */
  public BackupOptions options() {
    return options;
  }

  /**
   * Takes a full backup of {@code source}; returns its manifest.
   *
   * @throws io.tito.StorageException if the source or the storage fails (the partial backup is
   *     deleted)
   */
  public BackupManifest full(Engine source) {
    return new BackupWriter(storage, options, catalog).full(source);
  }

  /**
   * Backs up every commit of {@code source} after the newest backup of the set; returns its
   * manifest (an incremental with no commit if nothing changed).
   *
   * @throws InvalidArgumentException if the engine has no change feed, the set has no backup yet,
   *     the newest backup is not from this engine's feed, or the changes since were not kept
   */
  public BackupManifest incremental(Engine source) {
    return new BackupWriter(storage, options, catalog).incremental(source);
  }

  /** The complete backups of the set, oldest first (each manifest's checksum checked). */
  public List<BackupManifest> list() {
    return catalog.read().complete();
  }

  /** Backups of the set without a manifest (interrupted, or being written now). */
  public List<String> incomplete() {
    return catalog.read().incomplete();
  }

  /** Backups of the set whose manifest fails its check, with the reason. */
  public Map<String, String> damaged() {
    return catalog.read().damaged();
  }

  /**
   * Reads and checks backup {@code backupId} and every backup it depends on: manifests, chunk
   * sizes and checksums, record counts, and that each incremental continues its parent.
   *
   * @return the chain, full backup first
   * @throws NotFoundException if there is no such complete backup
   * @throws io.tito.StorageException naming the backup and what is wrong, if anything is
   */
  public List<BackupManifest> verify(String backupId) {
    Catalog.Listing listing = catalog.read();
    if (listing.damaged().containsKey(backupId)) {
      throw new io.tito.StorageException(listing.damaged().get(backupId), Map.of("backup", backupId), null);
    }
    BackupManifest last = listing.find(backupId).orElseThrow(() -> new NotFoundException("no such complete backup",
        Map.of("backup", String.valueOf(backupId), "set", options.set())));
    List<BackupManifest> chain = listing.chainTo(last);
    for (BackupManifest m : chain) {
      reader.verify(m);
      options.progress().update(new BackupProgress.Status("verify", m.id(), m.chunks().size(), m.entries(), m.rawBytes()));
    }
    return chain;
  }

  /**
   * Restores the set's state at {@code point} into {@code target}, an empty store of any engine.
   * Everything is checked before the first write (see the class comment).
   *
   * @throws InvalidArgumentException if no chain reaches the point or the target is not empty
   * @throws io.tito.StorageException if a backup is damaged (target untouched), or writing failed
   *     (the target is cleared again)
   */
  public RestoreResult restore(RestorePoint point, Engine target) {
    return new Restorer(catalog, reader, options).restore(point, target);
  }

  /**
   * Deletes the backups {@code policy} does not keep (never one a kept backup depends on).
   *
   * @return the ids deleted
   */
  public List<String> applyRetention(RetentionPolicy policy) {
    if (policy == null) {
      throw new InvalidArgumentException("retention policy must not be null", Map.of("setting", "policy"));
    }
    return Retention.apply(catalog, storage, policy, options.clock().instant());
  }

  /**
   * Releases the set's retention hold on {@code source}: the engine may then discard changes, and
   * the next backup of the set must be a full one. Do it when the set is retired.
   */
  public void releaseHold(Engine source) {
    if (source.capabilities().contains(Capability.CHANGE_FEED)) {
      source.changeFeed().releaseHold(options.holdName());
    }
  }
}
