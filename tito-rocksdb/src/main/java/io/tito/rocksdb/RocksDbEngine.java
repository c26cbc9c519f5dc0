package io.tito.rocksdb;

import io.tito.ClosedException;
import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.StorageException;
import io.tito.TitoException;
import io.tito.spi.Capability;
import io.tito.spi.ChangeFeed;
import io.tito.spi.CommitSequencer;
import io.tito.spi.Engine;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineTransaction;
import io.tito.spi.SnapshotRegistry;
import io.tito.spi.WriteSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded, durable engine: one RocksDB database in a directory, used by one process at a
 * time. Open it with {@link #open(RocksDbOptions)}.
 *
 * <p>Contract, beyond {@link Engine}'s:
 * <ul>
 *   <li>Snapshot isolation with first committer wins, checked in memory by a {@link CommitSequencer};
 *       reads use RocksDB snapshots. Read-only transactions hold a snapshot and nothing else: no
 *       heap, no age limit.
 *   <li>A read-write transaction older than {@link RocksDbOptions#maxTransactionAge()} (default
 *       5 minutes) stops holding conflict history and fails at its next call or commit with a
 *       retriable {@link io.tito.ConflictException}, so the history kept in memory stays bounded.
 *   <li>A commit is one RocksDB write batch: atomic, also across a crash. When it is durable
 *       depends on the {@link Durability} mode.
 *   <li>The directory is marked as a Tito store ({@code TITO_STORE} file). Opening a non-empty
 *       directory without the marker, a store of a newer format, or a store open in another
 *       process (or already open in this one) fails with {@link StorageException}.
 *   <li>{@link #close()} waits for calls in flight, invalidates open transactions and cursors
 *       (they then throw {@link ClosedException}), stops the syncer, syncs the
 *       write-ahead log (except in {@link Durability#NONE}) and frees every native resource.
 * </ul>
 *
 * <p>Thread-safe: any number of threads may begin and run transactions concurrently; each
 * transaction is used by one thread at a time.
 */
public final class RocksDbEngine implements Engine {

  private static final Logger log = LoggerFactory.getLogger(RocksDbEngine.class);
  private static final Set<Capability> CAPABILITIES = Set.of(Capability.DURABLE,
      Capability.COMMIT_ORDERED_KEYS, Capability.CHANGE_FEED, Capability.BULK_LOAD,
      Capability.COMMIT_SEQUENCED_APPENDS);
  /** The column family of the engine's own metadata: commit version, holds, change log. */
  static final byte[] META_FAMILY = "tito-meta".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  static {
    RocksDB.loadLibrary();
  }

  /**
   * Write-ahead log files kept after their memtables are flushed and reused (overwritten) for
   * later logs. A sync of a reused file's blocks needs no file-system metadata update (the blocks
   * are allocated and written already), so WAL syncs — every {@code group} and {@code sync}
   * commit waits for one — take about a third less time on ext4 (DESIGN-NOTES, "WAL files
   * recycled"). Costs up to this many idle log files of about the write buffer's size on disk.
   * Safe with RocksDB's default point-in-time recovery since 9.1: each record carries its log's
   * number, so a recovery stops at the first record left over from the file's previous use.
   * The system property {@code tito.rocksdb.recycledWalFiles} (0 to 16) overrides it, for tools
   * that read every log file back themselves (the benchmark module's {@code SameBytesFloor}).
   */
  static final int DEFAULT_RECYCLED_WAL_FILES = 2;

  /** The number of WAL files kept for reuse by stores opened now; checked when read. */
  static int recycledWalFiles() {
    return recycledWalFiles(System.getProperty("tito.rocksdb.recycledWalFiles"));
  }

  /**
   * {@code value} of {@code tito.rocksdb.recycledWalFiles} as a count: null means the default.
   *
   * @throws io.tito.InvalidArgumentException if it is not a whole number from 0 to 16
   */
  static int recycledWalFiles(String value) {
    if (value == null) {
      return DEFAULT_RECYCLED_WAL_FILES;
    }
    int n;
    try {
      n = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 0 || n > 16) {
      throw new io.tito.InvalidArgumentException(
          "tito.rocksdb.recycledWalFiles must be a whole number from 0 to 16",
          Map.of("setting", "tito.rocksdb.recycledWalFiles", "value", value));
    }
    return n;
  }

  private final RocksDbOptions options;
  private final Path path;
  private final RocksDB db;
  private final Options dbOptions;
  private final Natives families;
  private final RocksDbChangeFeed changeFeed;
  private final Cache cache;
  private final BloomFilter filter;
  /** Exact cache of present values in front of point reads; null when disabled. */
  private final RowCache rowCache;
  private final WriteOptions writeOptions;
  private final WalSyncer syncer;
  private final CommitSequencer sequencer;
  private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Set<RocksDbTransaction> live = ConcurrentHashMap.newKeySet();
  /**
   * Read options given back by ended transactions, reused by new ones (a native allocation and
   * free less per transaction); at most {@link #POOLED_READ_OPTIONS}, freed by {@link #close()}.
   */
  private final java.util.concurrent.ConcurrentLinkedDeque<ReadOptions> readOptionsPool =
      new java.util.concurrent.ConcurrentLinkedDeque<>();
  private final java.util.concurrent.atomic.AtomicInteger pooledReadOptions =
      new java.util.concurrent.atomic.AtomicInteger();
  static final int POOLED_READ_OPTIONS = 64;
  private volatile boolean closed;
  /** {@link Durability#GROUP}: the view new transactions read; moved by each successful sync. */
  private volatile SyncedView view;
  /**
   * The other durabilities: the read view shared by read-only transactions while RocksDB's latest
   * sequence still equals its snapshot's; replaced by the first read-only begin after a write.
   */
  private final java.util.concurrent.atomic.AtomicReference<SyncedView> readView =
      new java.util.concurrent.atomic.AtomicReference<>();
  private volatile boolean syncFailed;
  /** Warms the block cache after open and compaction; null without a cache or with warmCache off. */
  private final CacheWarmer warmer;

  private RocksDbEngine(RocksDbOptions options, Path path, Natives families, Options dbOptions, Cache cache,
      BloomFilter filter, WriteOptions writeOptions, UnaryOperator<WalSyncer.SyncAction> wrapSync,
      LongSupplier nanoClock, long initialVersion, long stampBase) {
    this.options = options;
    this.path = path;
    this.db = families.db;
    this.families = families;
    this.dbOptions = dbOptions;
    this.cache = cache;
    this.filter = filter;
    this.rowCache = RowCache.forBlockCache(options.blockCacheBytes());
    if (rowCache != null) {
      rowCache.measureStoreWith(this::keyFamilyBytes);
    }
    this.writeOptions = writeOptions;
    // Commit versions continue from the last one stored in the meta family (written in every
    // commit's batch): versions, and so COMMIT_ORDERED_KEYS stamps, keep increasing across reopening.
    this.sequencer = new CommitSequencer(initialVersion, RocksDbEngineProvider.NAME, options.maxTransactionAge(), nanoClock);
    // Stamps continue above a raised stamp floor (raiseStampFloor) across reopening too.
    this.sequencer.restoreStampBase(stampBase);
    this.changeFeed = new RocksDbChangeFeed(this, db, families.meta, families.syncWrites, sequencer);
    this.syncer = switch (options.durability()) {
      case GROUP -> WalSyncer.group(wrapSync.apply(db::syncWal), path, new ViewHooks());
      case PERIODIC -> WalSyncer.periodic(wrapSync.apply(db::syncWal), options.syncInterval().toNanos(), path);
      case SYNC, NONE -> null;
    };
    if (options.durability() == Durability.GROUP) {
      view = captureView(); // everything recovered at open is synced
    }
    this.warmer = cache != null && options.warmCache()
        ? new CacheWarmer(db, families.keys(), options.blockCacheBytes(), path, this::tryEnter,
            rowCache)
        : null;
  }

  /**
   * Opens (or creates) the store in {@code path} with every default of {@link RocksDbOptions}.
   *
   * @throws StorageException as {@link #open(RocksDbOptions)}
   */
  public static RocksDbEngine open(Path path) {
    return open(RocksDbOptions.of(path));
  }

  /**
   * Opens (or creates) the store at {@code options.path()}.
   *
   * @throws StorageException if the directory is not a Tito store, is of a newer format, is
   *     locked by another process (or already open in this one), does not exist and may not be
   *     created, or RocksDB cannot open it
   */
  public static RocksDbEngine open(RocksDbOptions options) {
    return open(options, UnaryOperator.identity());
  }

  /** {@link #open(RocksDbOptions)} with the WAL sync wrapped (tests delay or fail syncs). */
  static RocksDbEngine open(RocksDbOptions options, UnaryOperator<WalSyncer.SyncAction> wrapSync) {
    return open(options, wrapSync, System::nanoTime);
  }

  /** Same, reading transaction ages from {@code nanoClock} (tests pass a manual clock). */
  static RocksDbEngine open(RocksDbOptions options, UnaryOperator<WalSyncer.SyncAction> wrapSync,
      LongSupplier nanoClock) {
    return open(options, wrapSync, nanoClock, warmer -> {});
  }

  /** Same, handing the cache warmer (if any) to {@code beforeWarming} before it starts (tests). */
  static RocksDbEngine open(RocksDbOptions options, UnaryOperator<WalSyncer.SyncAction> wrapSync,
      LongSupplier nanoClock, java.util.function.Consumer<CacheWarmer> beforeWarming) {
    Path path = options.path().toAbsolutePath().normalize();
    int recycledWalFiles = recycledWalFiles();
    StoreDirectory.prepare(path, options.createIfMissing());
    List<AutoCloseable> natives = new ArrayList<>();
    try {
      Cache cache = options.blockCacheBytes() > 0 ? track(natives, ReadTuning.blockCache(options.blockCacheBytes())) : null;
      BloomFilter filter = track(natives, new BloomFilter(10, false));
      Options dbOptions = track(natives, ReadTuning.apply(new Options(), filter, cache)
          .setCreateIfMissing(options.createIfMissing())
          .setKeepLogFileNum(10)
          .setRecycleLogFileNum(recycledWalFiles)
          .setMaxBackgroundJobs(Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors() / 2))));
      WriteOptions writeOptions = track(natives, new WriteOptions()
          .setSync(options.durability() == Durability.SYNC));
      Natives families = openDb(dbOptions, path);
      long version;
      long stampBase;
      try {
        version = RocksDbChangeFeed.storedVersion(families.db, families.meta);
        byte[] base = families.db.get(families.meta, ChangeLogCodec.STAMP_BASE_KEY);
        stampBase = base == null ? 0 : ChangeLogCodec.toLong(base);
      } catch (RocksDBException e) {
        families.close();
        throw new StorageException("store cannot be opened", Map.of("path", path, "reason", String.valueOf(e.getMessage())), e);
      }
      RocksDbEngine engine = new RocksDbEngine(options, path, families, dbOptions, cache, filter, writeOptions,
          wrapSync, nanoClock, version, stampBase);
      log.info("opened RocksDB store (path={}, durability={})", path, options.durability());
      if (engine.warmer != null) {
        beforeWarming.accept(engine.warmer);
        engine.warmer.startInBackground();
      }
      return engine;
    } catch (RuntimeException | Error e) {
      closeAll(natives);
      throw e;
    }
  }

  /**
   * The database with its two column families (the default one for keys, {@code tito-meta} for
   * the engine's metadata) and the native objects that go with them, closed together.
   */
  record Natives(RocksDB db, ColumnFamilyHandle keys, ColumnFamilyHandle meta, DBOptions dbOptions,
      ColumnFamilyOptions keyOptions, ColumnFamilyOptions metaOptions, WriteOptions syncWrites) {
    void closeHandles() {
      meta.close();
      keys.close();
    }

    void closeOptions() {
      syncWrites.close();
      metaOptions.close();
      keyOptions.close();
      dbOptions.close();
    }

    void close() {
      closeHandles();
      db.close();
      closeOptions();
    }
  }

  private static Natives openDb(Options dbOptions, Path path) {
    DBOptions dbo = new DBOptions(dbOptions).setCreateMissingColumnFamilies(true);
    ColumnFamilyOptions keyOptions = new ColumnFamilyOptions(dbOptions);
    ColumnFamilyOptions metaOptions = new ColumnFamilyOptions();
    WriteOptions syncWrites = new WriteOptions().setSync(true);
    try {
      List<ColumnFamilyDescriptor> descriptors = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, keyOptions),
          new ColumnFamilyDescriptor(META_FAMILY, metaOptions));
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(dbo, path.toString(), descriptors, handles);
      return new Natives(db, handles.get(0), handles.get(1), dbo, keyOptions, metaOptions, syncWrites);
    } catch (RocksDBException e) {
      syncWrites.close();
      metaOptions.close();
      keyOptions.close();
      dbo.close();
      String msg = String.valueOf(e.getMessage());
      if (isCode(e, Status.Code.IOError) && msg.contains("LOCK")
          && msg.toLowerCase(Locale.ROOT).contains("lock")) {
        throw new StorageException("store is locked by another process",
            Map.of("path", path, "reason", msg), e);
      }
      throw new StorageException("store cannot be opened", Map.of("path", path, "reason", msg), e);
    }
  }

  private static <T extends AutoCloseable> T track(List<AutoCloseable> natives, T resource) {
    natives.add(resource);
    return resource;
  }

  private static void closeAll(List<AutoCloseable> natives) {
    for (int i = natives.size() - 1; i >= 0; i--) {
      try {
        natives.get(i).close();
      } catch (Exception e) {
        log.warn("closing a RocksDB native object failed", e);
      }
    }
  }

  /** {@code rocksdb}. */
  @Override
  public String name() {
    return RocksDbEngineProvider.NAME;
  }

  /** {@link Capability#DURABLE}. */
  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public EngineLimits limits() {
    return options.limits();
  }

  /** The settings this engine was opened with. */
  public RocksDbOptions options() {
    return options;
  }

  /** The store's directory, absolute. */
  public Path path() {
    return path;
  }

  /**
   * Settles the store after a bulk load: flushes the memtables of every column family to disk and
   * compacts the whole key range, returning when RocksDB has finished (so that reads timed or
   * served afterwards do not compete with background compactions of what was just written).
   * Commits may run meanwhile; the call only changes the on-disk layout, never the contents. It
   * costs a rewrite of the store, so it is for maintenance windows and benchmarks, not for a
   * request path. Thread-safe.
   *
   * <p>With {@link RocksDbOptions#warmCache()} (the default) it then warms the block cache before
   * returning, when the compacted tables fit in half of it: compaction writes new table files whose
   * blocks are not in the cache, so the reads after a settle would otherwise each read and
   * decompress a block on first touch (see the module README, "Warming").
   *
   * @throws ClosedException if the engine is closed
   * @throws StorageException if RocksDB fails to flush or compact
   */
  public void compact() {
    compactOnly();
    if (warmer != null) {
      warmer.warm("compaction");
    }
  }

  private void compactOnly() {
    Lock l = enter();
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true);
        CompactRangeOptions range = new CompactRangeOptions()
            .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
      for (ColumnFamilyHandle family : List.of(families.keys(), families.meta())) {
        db.flush(flush, family);
        db.compactRange(family, null, null, range);
      }
    } catch (RocksDBException e) {
      throw new StorageException("compaction failed",
          Map.of("path", path, "reason", String.valueOf(e.getMessage())), e);
    } finally {
      l.unlock();
    }
  }

  /**
   * Starts a transaction at a fresh snapshot. Thread-safe.
   *
   * @throws ClosedException if the engine is closed
   */
  @Override
  public EngineTransaction begin(boolean readOnly) {
    Lock l = enter();
    try {
      if (options.durability() == Durability.GROUP) {
        return beginOnSyncedView(readOnly);
      }
      if (readOnly) {
        return beginOnReadView();
      }
      // Sequencer first, RocksDB snapshot second: the RocksDB snapshot then holds every commit up
      // to the sequencer version, maybe more, which can only cause a spurious conflict.
      SnapshotRegistry.Registration writer = readOnly ? null : sequencer.begin();
      Snapshot snapshot;
      try {
        snapshot = db.getSnapshot();
      } catch (RuntimeException | Error e) {
        endWriter(writer);
        throw e;
      }
      return track(readOnly, writer, snapshot, null);
    } finally {
      l.unlock();
    }
  }

  /**
   * {@link Durability#GROUP}: a commit is applied (readable in RocksDB) before the sync that makes
   * it durable, so transactions read the view of the last sync instead: a snapshot holding exactly
   * the commits that sync covered. Nobody reads a commit that a machine crash may lose, and
   * nobody waits for a sync to begin; a committer's own later transactions see its commit, since
   * the view moves before committers are told their commit is durable.
   */
  private EngineTransaction beginOnSyncedView(boolean readOnly) {
    if (syncFailed) {
      throw new StorageException("the write-ahead log could not be synced; the store refuses"
          + " new transactions until it is reopened", Map.of("path", path), null);
    }
    while (true) {
      SyncedView v;
      do {
        v = view;
      } while (!v.acquire());
      if (readOnly) {
        return track(true, null, v.snapshot, v);
      }
      SnapshotRegistry.Registration writer;
      try {
        // Null when v stopped being the current view and the history after it was pruned.
        writer = sequencer.beginAt(v.version);
      } catch (RuntimeException | Error e) {
        releaseView(v);
        throw e;
      }
      if (writer != null) {
        return track(false, writer, v.snapshot, v);
      }
      releaseView(v);
    }
  }

  /**
   * A read-only transaction outside {@link Durability#GROUP}: it reads the current read view when
   * no write has been applied since that view's snapshot was taken (RocksDB's latest sequence
   * still equals the snapshot's), which is then exactly the fresh snapshot it would take, else a
   * new view that becomes the current one. Back-to-back reads with no write between them share one
   * snapshot and one set of read options: no snapshot taken and released, no read options set,
   * per transaction. Every write of the store raises the latest sequence (commits, the change
   * feed's writes, and a bulk load, which commits after ingesting), so no view serves a read-only
   * transaction begun after a write; a commit also drops the engine's reference at once
   * ({@link #retireReadView}), so an idle engine holds at most one snapshot, which pins no
   * replaced version of the key family.
   */
  private EngineTransaction beginOnReadView() {
    long latest = db.getLatestSequenceNumber();
    SyncedView current = readView.get();
    if (current != null && current.version == latest && current.acquire()) {
      return track(true, null, current.snapshot, current);
    }
    Snapshot snapshot = db.getSnapshot();
    SyncedView fresh;
    try {
      fresh = new SyncedView(snapshot.getSequenceNumber(), snapshot,
          borrowReadOptions().setSnapshot(snapshot));
    } catch (RuntimeException | Error e) {
      db.releaseSnapshot(snapshot);
      throw e;
    }
    fresh.acquire(); // the transaction's reference; the engine's is the first
    if (readView.compareAndSet(current, fresh)) {
      if (current != null) {
        releaseView(current);
      }
    } else {
      releaseView(fresh); // another begin installed its own: this one serves this transaction only
    }
    return track(true, null, snapshot, fresh);
  }

  private EngineTransaction track(boolean readOnly, SnapshotRegistry.Registration writer, Snapshot snapshot,
      SyncedView v) {
    RocksDbTransaction tx;
    try {
      tx = new RocksDbTransaction(this, readOnly, writer, snapshot, v);
    } catch (RuntimeException | Error e) {
      endWriter(writer);
      throw e;
    }
    live.add(tx);
    return tx;
  }

  private void endWriter(SnapshotRegistry.Registration writer) {
    if (writer != null) {
      sequencer.end(writer);
    }
  }

  /**
   * A new view: exactly the commits applied so far, taken while no commit is being applied. Its
   * version stays pinned in the sequencer while it is the current view, so writers can begin on
   * it; readers of an older view hold only its RocksDB snapshot.
   */
  private SyncedView captureView() {
    return sequencer.whileNoCommitApplies(() -> {
      long version = sequencer.pinVisible();
      try {
        return new SyncedView(version, db.getSnapshot());
      } catch (RuntimeException | Error e) {
        sequencer.unpin(version);
        throw e;
      }
    });
  }

  /** The view stops being current (or never became it): unpins it and drops the engine's reference. */
  private void retireView(SyncedView v) {
    sequencer.unpin(v.version);
    releaseView(v);
  }

  /** Drops a reference to {@code v}; the last one frees its snapshot (and read options). */
  void releaseView(SyncedView v) {
    if (v.release()) {
      if (v.readOptions != null) {
        returnReadOptions(v.readOptions);
      }
      db.releaseSnapshot(v.snapshot);
    }
  }

  /** The syncer's hooks ({@link Durability#GROUP}); called by one sync leader at a time. */
  private final class ViewHooks implements WalSyncer.Hooks {
    private SyncedView pending;

    @Override
    public long prepare() {
      pending = captureView();
      return pending.version;
    }

    @Override
    public void synced() {
      SyncedView old = view;
      view = pending;
      pending = null;
      retireView(old);
    }

    @Override
    public void failed() {
      syncFailed = true;
      if (pending != null) {
        retireView(pending);
        pending = null;
      }
    }
  }

  /**
   * Closes the engine: waits for calls in flight, invalidates open transactions and cursors,
   * stops background threads, syncs the write-ahead log (except in {@link Durability#NONE}) and
   * frees every native resource. Idempotent; must not be called from inside a call of this
   * engine's own transactions.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    if (warmer != null) {
      warmer.stop(); // it ends its chunk (and closes its iterator) at the next entry
    }
    Lock w = guard.writeLock();
    w.lock();
    try {
      if (syncer != null) {
        syncer.stop();
      }
      for (RocksDbTransaction tx : live) {
        tx.freeNatives();
      }
      live.clear();
      if (view != null) {
        retireView(view);
        view = null;
      }
      SyncedView rv = readView.getAndSet(null);
      if (rv != null) {
        releaseView(rv);
      }
      if (options.durability() != Durability.NONE) {
        try {
          db.syncWal();
        } catch (RocksDBException e) {
          log.error("syncing the write-ahead log on close failed (path={})", path, e);
        }
      }
      for (ReadOptions ro; (ro = readOptionsPool.poll()) != null; ) {
        ro.close();
      }
      families.closeHandles();
      try {
        db.closeE();
      } catch (RocksDBException e) {
        log.error("closing RocksDB failed (path={})", path, e);
      }
      families.closeOptions();
      writeOptions.close();
      dbOptions.close();
      filter.close();
      if (cache != null) {
        cache.close();
      }
      log.info("closed RocksDB store (path={})", path);
    } finally {
      w.unlock();
    }
    if (warmer != null) {
      warmer.joinBackground(CLOSE_JOIN_MILLIS); // it finds the engine closed at its next chunk
    }
  }

  /** How long close waits for the warmer's thread to end after freeing (it ends at once). */
  private static final long CLOSE_JOIN_MILLIS = 1_000;

  /**
   * Waits until the block cache warming started at open (see {@link RocksDbOptions#warmCache()})
   * has ended: the tables were read into the cache, or did not fit in half of it, or the engine
   * was closed. Reads are correct meanwhile, only slower on blocks not yet cached; call this
   * before timing reads or before serving latency-sensitive traffic. Returns at once when no
   * warming runs (no block cache, or {@code warmCache} off).
   *
   * @param timeout the longest wait
   * @return true if no warming is running any more, false if {@code timeout} passed first
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public boolean awaitCacheWarming(java.time.Duration timeout) throws InterruptedException {
    return warmer == null || warmer.awaitBackground(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** The cache warmer, or null (for tests). */
  CacheWarmer warmer() {
    return warmer;
  }

  /**
   * The change feed: every commit, from an engine-level change log kept in the same write batch
   * as the commit while a retention hold exists (see {@link ChangeFeed}); commit versions survive
   * reopening.
   */
  @Override
  public ChangeFeed changeFeed() {
    enter().unlock();
    return changeFeed;
  }

  /**
   * Raises the stamp floor (see {@link Engine#raiseStampFloor}): the new stamp base is written to
   * the meta family with a synced write before any commit uses it, so it survives a crash and
   * reopening.
   */
  @Override
  public void raiseStampFloor(long version) {
    Lock l = enter();
    try {
      sequencer.raiseStampFloor(version, base -> {
        try {
          db.put(families.meta, families.syncWrites, ChangeLogCodec.STAMP_BASE_KEY, ChangeLogCodec.longBytes(base));
        } catch (RocksDBException e) {
          throw new StorageException("stamp floor cannot be stored",
              Map.of("path", path, "reason", String.valueOf(e.getMessage())), e);
        }
      });
    } finally {
      l.unlock();
    }
  }

  /**
   * The newest commit version a new transaction reads: in {@link Durability#GROUP} the synced
   * view's (a commit whose sync is pending may still be lost, so no feed reader sees it yet).
   */
  long readableVersion() {
    SyncedView v = view;
    return options.durability() == Durability.GROUP && v != null ? v.version : sequencer.visibleVersion();
  }

  /** A read-only transaction on a snapshot holding exactly the commits up to its version. */
  ChangeFeed.VersionedSnapshot openVersionedSnapshot() {
    Lock l = enter();
    try {
      long time = System.currentTimeMillis();
      if (options.durability() == Durability.GROUP) {
        SyncedView v;
        do {
          v = view;
        } while (!v.acquire());
        return new ChangeFeed.VersionedSnapshot(track(true, null, v.snapshot, v), v.version, time);
      }
      long[] version = new long[1];
      Snapshot snapshot = sequencer.whileNoCommitApplies(() -> {
        version[0] = sequencer.visibleVersion();
        return db.getSnapshot();
      });
      return new ChangeFeed.VersionedSnapshot(track(true, null, snapshot, null), version[0], time);
    } finally {
      l.unlock();
    }
  }

  /**
   * A loader of sorted entries into this store, which must be empty and have no change feed
   * holds: SST files ingested at once when it finishes (see {@link io.tito.spi.BulkLoader}).
   *
   * @throws io.tito.InvalidArgumentException if the store is not empty or the feed has holds
   * @throws ClosedException if the engine is closed
   */
  @Override
  public io.tito.spi.BulkLoader bulkLoader() {
    return RocksDbBulkLoader.open(this);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Number of writes remembered for conflict checks (for tests and metrics). */
  long conflictHistorySize() {
    return sequencer.trackedWrites();
  }

  /**
   * Fault injection for tests: runs {@code hook} inside every commit, holding the commit lock,
   * after the write batch is written and before the commit's version is published.
   */
  void onCommitApplied(Runnable hook) {
    sequencer.onCommitApplied(hook);
  }

  /** {gathers that waited, of which ran out of time} of the group syncer (for tests and metrics). */
  long[] gatherCounts() {
    return syncer == null ? new long[2] : syncer.gatherCounts();
  }

  /** Number of write-ahead log syncs done by the group or periodic syncer (for tests and metrics). */
  long backgroundSyncs() {
    return syncer == null ? 0 : syncer.syncCount();
  }

  // ---- used by transactions and cursors ------------------------------------------------------

  /**
   * Enters a native call: holds the read side of the guard so close waits for it.
   *
   * @throws ClosedException if the engine is closed or closing
   */
  Lock enter() {
    Lock l = guard.readLock();
    l.lock();
    if (closed) {
      l.unlock();
      throw closedException();
    }
    return l;
  }

  /** The read side of the guard, or null if the engine is closed or closing (the cache warmer). */
  private Lock tryEnter() {
    Lock l = guard.readLock();
    l.lock();
    if (closed) {
      l.unlock();
      return null;
    }
    return l;
  }

  /** The read side of the guard, for releasing natives whether or not the engine is closed. */
  Lock releaseLock() {
    return guard.readLock();
  }

  ClosedException closedException() {
    return new ClosedException("engine is closed", Map.of("engine", name(), "path", path));
  }

  RocksDB db() {
    return db;
  }

  /** Read options for a new transaction: pooled ones, or new. Called under the guard. */
  /** The row cache, or null when disabled. */
  RowCache rowCache() {
    return rowCache;
  }

  /**
   * The key family's bytes in table files and memtables (RocksDB's estimates), or -1 when they
   * cannot be read (a closing store): what {@link RowCache#measureStoreWith} compares with the
   * row cache's capacity.
   */
  private long keyFamilyBytes() {
    try {
      return db.getLongProperty(families.keys(), "rocksdb.total-sst-files-size")
          + db.getLongProperty(families.keys(), "rocksdb.cur-size-all-mem-tables");
    } catch (RocksDBException | RuntimeException e) {
      return -1;
    }
  }

  ReadOptions borrowReadOptions() {
    ReadOptions ro = readOptionsPool.poll();
    if (ro == null) {
      return new ReadOptions();
    }
    pooledReadOptions.decrementAndGet();
    return ro;
  }

  /**
   * Takes back the read options of an ended transaction (its snapshot is set again before any
   * reuse), or frees them when the pool is full or the engine is closing. Called under the guard
   * (either side): {@link #close()} frees the pool after every transaction's natives, under the
   * write side, so nothing is pooled after it.
   */
  void returnReadOptions(ReadOptions ro) {
    if (closed || pooledReadOptions.incrementAndGet() > POOLED_READ_OPTIONS) {
      if (!closed) {
        pooledReadOptions.decrementAndGet();
      }
      ro.close();
      return;
    }
    readOptionsPool.push(ro);
  }

  Path storePath() {
    return path;
  }

  void forget(RocksDbTransaction tx, SnapshotRegistry.Registration writer) {
    live.remove(tx);
    endWriter(writer);
  }

  /** Throws a retriable conflict if {@code writer} is older than the maximum transaction age. */
  void checkAge(SnapshotRegistry.Registration writer) {
    sequencer.checkAge(writer);
  }

  /**
   * Commits a writer's write set; for {@link Durability#GROUP} waits for the sync (or runs it, as
   * the leader of a group). A {@link Durability#GROUP} writer reads the synced view, so it
   * conflicts with any commit to its keys not yet synced, and a retry begun before that sync
   * would conflict again: on a conflict the committer first waits for (or leads) the sync of
   * what is written, then throws a conflict marked {@link ConflictException#retryNow()}, so the
   * retry starts at once and reads the commit it lost to.
   */
  void commit(SnapshotRegistry.Registration writer, WriteSet writes) {
    Lock l = enter();
    try {
      long version;
      try {
        version = sequencer.commit(writer, writes, this::latest, this::apply);
      } catch (ConflictException e) {
        if (options.durability() == Durability.GROUP) {
          syncer.awaitWrittenQuietly();
          // A new transaction now reads the commit this one lost to: no backoff needed.
          throw e.retryingNow();
        }
        throw e;
      }
      if (options.durability() == Durability.GROUP) {
        syncer.awaitDurable(version);
      }
    } finally {
      l.unlock();
    }
  }

  /**
   * The latest written values of {@code keys} (not the synced view: every commit applied so far,
   * whose versions come before the one being taken). Runs under the sequencer's commit lock, so
   * the row cache's entries are current ({@link RowCache#latest}): the counters of sequenced
   * appends are put there by the commit that wrote them, and only the others are read.
   */
  private List<byte[]> latest(List<byte[]> keys) {
    List<byte[]> out = new ArrayList<>(keys.size());
    List<byte[]> missing = null;
    for (byte[] key : keys) {
      byte[] v = rowCache == null ? null : rowCache.latest(key);
      out.add(v);
      if (v == null) {
        if (missing == null) {
          missing = new ArrayList<>(keys.size());
        }
        missing.add(key);
      }
    }
    if (missing == null) {
      return out;
    }
    List<byte[]> read;
    try {
      read = db.multiGetAsList(missing);
    } catch (RocksDBException e) {
      throw new StorageException("commit could not read its counters; nothing was applied",
          Map.of("path", path), e);
    }
    for (int i = 0, j = 0; i < out.size(); i++) {
      if (out.get(i) == null) {
        out.set(i, read.get(j++));
      }
    }
    return out;
  }

  /** Runs under the sequencer's commit lock. */
  private void apply(WriteSet writes, long version) {
    // Encoded in Java and handed over in one native call (BatchEncoder), not one per key.
    long size = BatchEncoder.headerSize() + changeFeed.versionSize();
    for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
      size += BatchEncoder.size(0, r.getKey().length, r.getValue().length);
    }
    for (Map.Entry<byte[], byte[]> w : writes.points().entrySet()) {
      size += BatchEncoder.size(0, w.getKey().length, w.getValue() == null ? -1 : w.getValue().length);
    }
    BatchEncoder batch = new BatchEncoder(size);
    for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
      batch.deleteRange(0, r.getKey(), r.getValue());
    }
    for (Map.Entry<byte[], byte[]> w : writes.points().entrySet()) {
      if (w.getValue() == null) {
        batch.delete(0, w.getKey());
      } else {
        batch.put(0, w.getKey(), w.getValue());
      }
    }
    changeFeed.addTo(batch, writes, version);
    List<byte[]> counters = writes.hasSequenced() ? writes.sequenceCounters() : List.of();
    long token = rowCache == null ? 0
        : rowCache.beginWrite(writes.points().keySet(), writes.clearedRangeMap(), false, counters);
    boolean written = false;
    try (WriteBatch native_ = batch.toBatch()) {
      db.write(writeOptions, native_);
      written = true;
    } catch (RocksDBException e) {
      throw writeFailure(e, path);
    } finally {
      if (rowCache != null) {
        endWrite(token, written, writes, counters);
      }
    }
    retireReadView();
    if (syncer != null) {
      syncer.written(version);
    }
  }

  /**
   * Drops the engine's reference to the read view after a commit's write: the view is stale from
   * now on, and an idle engine must not pin the versions this write replaced (its snapshot would
   * keep them from compaction until the next read-only begin). Transactions still reading it keep
   * it alive until they end. One volatile read when there is no view.
   */
  private void retireReadView() {
    if (readView.get() != null) {
      SyncedView rv = readView.getAndSet(null);
      if (rv != null) {
        releaseView(rv);
      }
    }
  }

  /**
   * Ends a commit's write in the row cache; a successful one puts its sequenced appends' counters
   * there (write-through), so the next commit's {@link #latest} finds them without a read.
   */
  private void endWrite(long token, boolean written, WriteSet writes, List<byte[]> counters) {
    if (!written || counters.isEmpty()) {
      rowCache.endWrite(token, false);
      return;
    }
    List<byte[]> values = new ArrayList<>(counters.size());
    for (byte[] counter : counters) {
      values.add(writes.points().get(counter));
    }
    rowCache.endWrite(token, false, counters, values, db::getLatestSequenceNumber);
  }

  /**
   * RocksDB rejects some writes before touching the log (nothing applied). Any other failure
   * (I/O, corruption) may leave the batch in the write-ahead log, to reappear after a restart.
   */
  static TitoException writeFailure(RocksDBException e, Path path) {
    Status.Code code = e.getStatus() == null ? Status.Code.Undefined : e.getStatus().getCode();
    Map<String, Object> ctx = Map.of("path", path, "code", code, "reason", String.valueOf(e.getMessage()));
    return switch (code) {
      case Busy, TryAgain, TimedOut ->
          new StorageException("commit was rejected by RocksDB; nothing was applied", ctx, e, true);
      case InvalidArgument, NotSupported, Aborted, Incomplete, ShutdownInProgress, MergeInProgress ->
          new StorageException("commit was rejected by RocksDB; nothing was applied", ctx, e, false);
      default -> new CommitUnknownException("commit failed while writing; it may or may not survive a restart", ctx, e);
    };
  }

  static boolean isCode(RocksDBException e, Status.Code code) {
    return e.getStatus() != null && e.getStatus().getCode() == code;
  }

  StorageException readFailure(RocksDBException e) {
    return new StorageException("read failed", Map.of("path", path, "reason", String.valueOf(e.getMessage())), e);
  }

  @Override
  public String toString() {
    return "RocksDbEngine[" + path + ", " + options.durability() + (closed ? ", closed" : "") + "]";
  }
}
