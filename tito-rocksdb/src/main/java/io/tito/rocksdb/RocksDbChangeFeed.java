package io.tito.rocksdb;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.StorageException;
import io.tito.spi.ChangeFeed;
import io.tito.spi.CommitSequencer;
import io.tito.spi.WriteSet;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB engine's change feed: an engine-level change log in the {@code tito-meta} column
 * family, written in the same write batch as each commit (so it is exactly as durable and atomic
 * as the commit), and only while a retention hold exists, so a store without holds pays one
 * 8-byte version write per commit and nothing more. Holds are kept in the same column family;
 * moving or releasing one deletes the log entries no hold covers (one range delete).
 *
 * <p>Why not RocksDB's own write-ahead log ({@code getUpdatesSince})? Its sequence numbers count
 * operations, not Tito commits; its files are deleted at flush unless a WAL TTL or size limit
 * keeps them, a policy by time or size rather than by what was backed up; and it knows no commit
 * time. The engine-level log is bounded by the holds instead. Thread-safe.
 */
final class RocksDbChangeFeed implements ChangeFeed {

  private static final int PAGE = 256;

  private final RocksDbEngine engine;
  private final RocksDB db;
  private final ColumnFamilyHandle meta;
  /** The id of {@link #meta} in serialized write batches. */
  private final int metaId;
  private final WriteOptions syncWrites;
  private final CommitSequencer sequencer;
  private final ReentrantLock holdLock = new ReentrantLock();
  private final Map<String, Long> holds = new ConcurrentHashMap<>();
  private volatile boolean recording;

  RocksDbChangeFeed(RocksDbEngine engine, RocksDB db, ColumnFamilyHandle meta, WriteOptions syncWrites,
      CommitSequencer sequencer) {
    this.engine = engine;
    this.db = db;
    this.meta = meta;
    this.metaId = meta.getID();
    this.syncWrites = syncWrites;
    this.sequencer = sequencer;
    try (RocksIterator it = db.newIterator(meta)) {
      for (it.seek(ChangeLogCodec.HOLD_PREFIX); it.isValid() && startsWith(it.key(), ChangeLogCodec.HOLD_PREFIX);
          it.next()) {
        holds.put(ChangeLogCodec.holdName(it.key()), ChangeLogCodec.toLong(it.value()));
      }
    }
    recording = !holds.isEmpty();
  }

  /** The last commit version stored in {@code meta}, or 0 for a new store. */
  static long storedVersion(RocksDB db, ColumnFamilyHandle meta) throws RocksDBException {
    byte[] v = db.get(meta, ChangeLogCodec.VERSION_KEY);
    return v == null ? 0 : ChangeLogCodec.toLong(v);
  }

  /** Adds the version, and the logged commit while a hold exists, to a commit's batch. */
  /** The encoded size of the version record {@link #addTo} adds to every batch. */
  long versionSize() {
    return BatchEncoder.size(metaId, ChangeLogCodec.VERSION_KEY.length, Long.BYTES);
  }

  void addTo(BatchEncoder batch, WriteSet writes, long version) {
    batch.put(metaId, ChangeLogCodec.VERSION_KEY, ChangeLogCodec.longBytes(version));
    if (recording) {
      batch.put(metaId, ChangeLogCodec.logKey(version), ChangeLogCodec.encode(writes, System.currentTimeMillis()));
    }
  }

  @Override
  public long currentVersion() {
    engine.enter().unlock();
    return engine.readableVersion();
  }

  @Override
  public VersionedSnapshot openSnapshot() {
    return engine.openVersionedSnapshot();
  }

  @Override
  public long placeHold(String name) {
    ChangeFeed.checkHoldName(name);
    Lock l = engine.enter();
    holdLock.lock();
    try {
      Long existing = holds.get(name);
      if (existing != null) {
        return existing;
      }
      // While no commit applies: every commit after the hold's version is then logged.
      return sequencer.whileNoCommitApplies(() -> {
        long v = sequencer.visibleVersion();
        put(name, v);
        recording = true;
        return v;
      });
    } finally {
      holdLock.unlock();
      l.unlock();
    }
  }

  @Override
  public void moveHold(String name, long version) {
    Lock l = engine.enter();
    holdLock.lock();
    try {
      Long existing = holds.get(name);
      if (existing == null) {
        throw new NotFoundException("no such hold", Map.of("hold", String.valueOf(name)));
      }
      long current = engine.readableVersion();
      if (version < existing || version > current) {
        throw new InvalidArgumentException("a hold moves forward, up to the current version",
            Map.of("hold", name, "from", existing, "to", version, "currentVersion", current));
      }
      put(name, version);
      trim();
    } finally {
      holdLock.unlock();
      l.unlock();
    }
  }

  @Override
  public void releaseHold(String name) {
    Lock l = engine.enter();
    holdLock.lock();
    try {
      if (holds.remove(name) != null) {
        db.delete(meta, syncWrites, ChangeLogCodec.holdKey(name));
        trim();
      }
    } catch (RocksDBException e) {
      throw failure("releasing a hold failed", e);
    } finally {
      holdLock.unlock();
      l.unlock();
    }
  }

  @Override
  public OptionalLong holdVersion(String name) {
    engine.enter().unlock();
    Long v = holds.get(name);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  @Override
  public Map<String, Long> holds() {
    engine.enter().unlock();
    return Map.copyOf(new TreeMap<>(holds));
  }

  @Override
  public boolean everyCommit() {
    return true;
  }

  @Override
  public ChangeCursor changesAfter(long after, long through) {
    long current = currentVersion();
    if (after > through || through > current) {
      throw new InvalidArgumentException("changes are asked for versions (after, through] up to the current version",
          Map.of("after", after, "through", through, "currentVersion", current));
    }
    if (holds.values().stream().noneMatch(h -> h <= after)) {
      throw new InvalidArgumentException("no hold keeps the changes after this version; they may be gone",
          Map.of("after", after, "holds", new TreeMap<>(holds)));
    }
    return new LogCursor(after, through);
  }

  private void put(String name, long version) {
    try {
      db.put(meta, syncWrites, ChangeLogCodec.holdKey(name), ChangeLogCodec.longBytes(version));
    } catch (RocksDBException e) {
      throw failure("storing a hold failed", e);
    }
    holds.put(name, version);
  }

  /** Deletes the log entries no hold covers; with no hold, stops logging. Under holdLock. */
  private void trim() {
    try {
      if (holds.isEmpty()) {
        recording = false;
        db.deleteRange(meta, ChangeLogCodec.logKey(0), ChangeLogCodec.logKey(Long.MAX_VALUE));
      } else {
        long floor = holds.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        db.deleteRange(meta, ChangeLogCodec.logKey(0), ChangeLogCodec.logKey(floor + 1));
      }
    } catch (RocksDBException e) {
      throw failure("trimming the change log failed", e);
    }
  }

  private StorageException failure(String message, RocksDBException e) {
    return new StorageException(message, Map.of("path", engine.path(), "reason", String.valueOf(e.getMessage())), e);
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Reads the log in pages, each with its own short-lived iterator under the engine's guard. */
  private final class LogCursor implements ChangeCursor {
    private final long through;
    private long nextVersion;
    private final ArrayDeque<Commit> page = new ArrayDeque<>();
    private boolean exhausted;

    LogCursor(long after, long through) {
      this.nextVersion = after + 1;
      this.through = through;
    }

    @Override
    public boolean hasNext() {
      if (page.isEmpty() && !exhausted) {
        fill();
      }
      return !page.isEmpty();
    }

    private void fill() {
      Lock l = engine.enter();
      try (RocksIterator it = db.newIterator(meta)) {
        for (it.seek(ChangeLogCodec.logKey(nextVersion)); it.isValid() && page.size() < PAGE; it.next()) {
          byte[] key = it.key();
          if (!startsWith(key, ChangeLogCodec.LOG_PREFIX)) {
            break;
          }
          long v = ChangeLogCodec.logVersion(key);
          if (v > through) {
            break;
          }
          page.add(ChangeLogCodec.decode(v, it.value()));
          nextVersion = v + 1;
        }
        if (page.size() < PAGE) {
          exhausted = true;
        }
      } finally {
        l.unlock();
      }
    }

    @Override
    public Commit next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return page.poll();
    }

    @Override
    public void close() {
      exhausted = true;
      page.clear();
    }
  }
}
