package io.tito.internal.backup;

import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.backup.BackupManifest;
import io.tito.backup.BackupOptions;
import io.tito.backup.BackupProgress;
import io.tito.backup.BackupStorage;
import io.tito.spi.Capability;
import io.tito.spi.ChangeFeed;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.io.OutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/** Takes full and incremental backups of one set. Stateless between calls; not thread-safe per call. */
public final class BackupWriter {

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final BackupStorage storage;
  private final BackupOptions options;
  private final Catalog catalog;

  public BackupWriter(BackupStorage storage, BackupOptions options, Catalog catalog) {
    this.storage = storage;
    this.options = options;
    this.catalog = catalog;
  }

  /** Every key of one snapshot of {@code source}. */
  public BackupManifest full(Engine source) {
    Instant started = options.clock().instant();
    String id = newId(started, "full");
    boolean versioned = source.capabilities().contains(Capability.CHANGE_FEED);
    long version = 0;
    long timeMillis;
    EngineTransaction tx;
    ChangeFeed.VersionedSnapshot snapshot = null;
    if (versioned) {
      ChangeFeed feed = source.changeFeed();
      // The hold first: every commit after the snapshot is then kept for the next incremental.
      long hold = feed.placeHold(options.holdName());
      snapshot = snapshotAtOrAfter(feed, hold);
      tx = snapshot.transaction();
      version = snapshot.version();
      timeMillis = snapshot.timeMillis();
    } else {
      timeMillis = options.clock().millis();
      tx = source.begin(true);
    }
    ChunkWriter chunks = new ChunkWriter(storage, id, options.chunkBytes(), options.parallelism(), options.compression());
    try (chunks) {
      try (tx; KeyValueCursor cursor = tx.scan(new byte[0], Keyspace.end(source), ScanOptions.FORWARD)) {
        while (cursor.hasNext()) {
          KeyValue kv = cursor.next();
          byte[] key = kv.key();
          RecordCodec.writeEntry(chunks.buffer(), key, kv.value());
          if (chunks.recorded(key)) {
            report(id, chunks);
          }
        }
      }
      chunks.finish();
    } catch (RuntimeException e) {
      storage.delete(id);
      throw e;
    }
    report(id, chunks);
    BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, id, options.set(),
        BackupManifest.Kind.FULL, null, id, source.name(), versioned, true, version, version, timeMillis,
        started, options.clock().instant(), chunks.entries(), chunks.rawBytes(), chunks.storedBytes(),
        chunks.chunks(), null);
    BackupManifest sealed = writeManifest(manifest);
    if (versioned) {
      moveHoldForward(source.changeFeed(), version);
    }
    return sealed;
  }

  /** The commits of {@code source} after the newest backup of the set. */
  public BackupManifest incremental(Engine source) {
    if (!source.capabilities().contains(Capability.CHANGE_FEED)) {
      throw new InvalidArgumentException("incremental backups need an engine with a change feed; take full backups",
          Map.of("engine", source.name(), "capability", Capability.CHANGE_FEED));
    }
    ChangeFeed feed = source.changeFeed();
    BackupManifest parent = catalog.newest().orElseThrow(() -> new InvalidArgumentException(
        "no backup to follow in this set: take a full backup first", Map.of("set", options.set())));
    if (!parent.versioned() || !parent.engine().equals(source.name())) {
      throw new InvalidArgumentException("the newest backup of the set was not taken from a change feed of this engine; take a full backup",
          Map.of("set", options.set(), "newest", parent.id(), "engine", source.name()));
    }
    OptionalLong hold = feed.holdVersion(options.holdName());
    if (hold.isEmpty() || hold.getAsLong() > parent.toVersion()) {
      throw new InvalidArgumentException("the changes since the newest backup were not kept (no retention hold covers them); take a full backup",
          Map.of("set", options.set(), "newest", parent.id(), "hold", hold.isEmpty() ? "none" : hold.getAsLong()));
    }
    Instant started = options.clock().instant();
    long timeMillis = started.toEpochMilli();
    long through = feed.currentVersion();
    if (through < parent.toVersion()) {
      throw new InvalidArgumentException("the store is behind the newest backup: is it the same store?",
          Map.of("currentVersion", through, "newest", parent.id(), "newestVersion", parent.toVersion()));
    }
    String id = newId(started, "incr");
    ChunkWriter chunks = new ChunkWriter(storage, id, options.chunkBytes(), options.parallelism(), options.compression());
    long lastTime = 0;
    long reached = through;
    try (chunks) {
      try (ChangeFeed.ChangeCursor changes = feed.changesAfter(parent.toVersion(), through)) {
        while (changes.hasNext()) {
          ChangeFeed.Commit c = changes.next();
          if (!feed.everyCommit() && c.timeMillis() == 0) {
            c = new ChangeFeed.Commit(c.version(), timeMillis, c.clearedRanges(), c.writes());
          }
          lastTime = Math.max(lastTime, c.timeMillis());
          reached = Math.max(reached, c.version());
          RecordCodec.writeCommit(chunks.buffer(), c);
          if (chunks.recorded(c.version())) {
            report(id, chunks);
          }
        }
      }
      chunks.finish();
    } catch (RuntimeException e) {
      storage.delete(id);
      throw e;
    }
    report(id, chunks);
    BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, id, options.set(),
        BackupManifest.Kind.INCREMENTAL, parent.id(), parent.lineage(), source.name(), true, feed.everyCommit(),
        parent.toVersion(), reached, Math.max(timeMillis, lastTime), started, options.clock().instant(),
        chunks.entries(), chunks.rawBytes(), chunks.storedBytes(), chunks.chunks(), null);
    BackupManifest sealed = writeManifest(manifest);
    moveHoldForward(feed, reached);
    return sealed;
  }

  /**
   * A snapshot at or after {@code version}: an engine may place a hold at a commit that readers
   * do not see yet (RocksDB in group-commit mode, until its sync), so wait for it, polling.
   */
  private static ChangeFeed.VersionedSnapshot snapshotAtOrAfter(ChangeFeed feed, long version) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (true) {
      ChangeFeed.VersionedSnapshot s = feed.openSnapshot();
      if (s.version() >= version) {
        return s;
      }
      s.close();
      if (System.nanoTime() > deadline) {
        throw new io.tito.StorageException("the engine's snapshots did not reach its retention hold's version",
            Map.of("hold", version, "snapshot", s.version()), null, true);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll interval
    }
  }

  private void moveHoldForward(ChangeFeed feed, long version) {
    OptionalLong hold = feed.holdVersion(options.holdName());
    if (hold.isPresent() && hold.getAsLong() < version) {
      feed.moveHold(options.holdName(), version);
    }
  }

  private BackupManifest writeManifest(BackupManifest manifest) {
    BackupManifest sealed = ManifestCodec.sealed(manifest);
    try (OutputStream out = storage.create(sealed.id(), BackupManifest.FILE)) {
      out.write(ManifestCodec.write(sealed));
    } catch (IOException e) {
      storage.delete(sealed.id());
      throw new io.tito.StorageException("backup manifest cannot be written",
          Map.of("backup", sealed.id(), "reason", String.valueOf(e.getMessage())), e);
    }
    return sealed;
  }

  private void report(String id, ChunkWriter chunks) {
    options.progress().update(new BackupProgress.Status("backup", id, chunks.chunks().size(), chunks.entries(),
        chunks.rawBytes()));
  }

  /**
   * A new backup's id: the set, the start time to the millisecond, the kind and a random suffix.
   * Ids sort in the order backups were taken, which {@link Catalog#newest} relies on: a start
   * time not after the newest complete backup's (two backups in one millisecond, or a clock that
   * went back) is moved to 1 ms after it. Without that, a full backup taken in the millisecond of
   * an incremental sorted before it ("full" &lt; "incr"), and the next incremental followed the
   * older one, whose changes the full backup's hold had released.
   */
  private String newId(Instant time, String kind) {
    Instant at = time.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    Instant last = catalog.newest().map(m -> idTime(m.id())).orElse(null);
    if (last != null && !at.isAfter(last)) {
      at = last.plusMillis(1);
    }
    String random = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL | 0x1000000L).substring(1);
    return options.set() + "." + ID_TIME.format(at) + "." + kind + "." + random;
  }

  /** The start time encoded in a backup id of this set, or null if it is not such an id. */
  public static Instant idTime(String id) {
    String[] parts = id.split("\\.");
    if (parts.length != 4) {
      return null;
    }
    try {
      return Instant.from(ID_TIME.parse(parts[1]));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
