package io.tito.rocksdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the block cache: reads the key family's table data once with a scan that fills the cache,
 * so that point reads find their blocks in memory instead of reading and decompressing them from
 * the files on first touch. It warms only when the tables fit in half of the block cache (table
 * files are compressed; their blocks take about 1.5-2 times as much once in the cache), so that
 * warming never evicts what it loaded itself nor pushes out a working set the cache cannot hold
 * anyway. Runs once in a background daemon thread after open ({@link #startInBackground}) and
 * synchronously at the end of {@link RocksDbEngine#compact()} ({@link #warm}).
 *
 * <p>While the store is small next to the row cache ({@link RowCache#fillsOnFirstRead}: a value
 * would enter it on its first point read anyway), each chunk is read at a snapshot and its values
 * of at least {@link #PREFILL_MIN_VALUE_BYTES} are added to the row cache as read at that
 * snapshot's sequence, under the row cache's rules (not while a write is under way, nor once a
 * newer sequence exists: such a chunk adds nothing). The first point read of each such key is then
 * a hit, instead of a read through RocksDB plus the insertion that read would pay.
 *
 * <p>The scan reads {@link #CHUNK_ENTRIES} entries per hold of the engine's guard (its read side)
 * with a fresh iterator, which it closes before releasing the guard: {@link RocksDbEngine#close()}
 * (which takes the write side) thus never frees RocksDB while an iterator of the warmer is open,
 * and waits for at most one chunk, which the warmer cuts short as soon as close has begun.
 */
final class CacheWarmer {

  private static final Logger log = LoggerFactory.getLogger(CacheWarmer.class);

  /** Name of the background thread. */
  static final String THREAD_NAME = "tito-rocksdb-cache-warmer";
  /** Entries read per hold of the guard (a few milliseconds from the page cache). */
  static final int CHUNK_ENTRIES = 4096;
  /** Readahead of the warming scan: the files are read in large sequential pieces. */
  static final long READAHEAD_BYTES = 2L << 20;
  /**
   * The shortest value put in the row cache by warming: records (tito-data's header of version,
   * timestamps and flags, then the body) are longer; a non-covering index entry (a flag and an
   * id, read by scans, not point reads) is shorter, and putting those in multiplied the cache's
   * entries (58,000 instead of 10,000 at 10,000 documents), which made every hit slower
   * (BENCHMARKS.md, issue 13 part 10). Shorter values still enter on their first point read.
   */
  static final int PREFILL_MIN_VALUE_BYTES = 32;
  /** The RocksDB property giving the size of the table files of the current version. */
  static final String TABLE_BYTES_PROPERTY = "rocksdb.live-sst-files-size";

  /** What the last warming did. */
  enum Outcome {
    /** Not run yet (or still running). */
    PENDING,
    /** The tables did not fit in half of the block cache: nothing read. */
    TOO_LARGE,
    /** Every entry read once. */
    WARMED,
    /** Stopped by close before the end. */
    STOPPED,
    /** RocksDB failed during the scan (logged); reads are unaffected, only slower. */
    FAILED
  }

  private final RocksDB db;
  private final ColumnFamilyHandle keys;
  private final long cacheBytes;
  private final Path path;
  /** Enters the engine's guard: the read side, or null once the engine is closing. */
  private final Supplier<Lock> enter;
  private final CountDownLatch backgroundDone = new CountDownLatch(1);
  private final AtomicLong entriesRead = new AtomicLong();
  /** The row cache to fill while the store is small next to it, or null. */
  private final RowCache rows;
  private final AtomicLong rowsAdded = new AtomicLong();
  private volatile boolean stopped;
  private volatile Outcome outcome = Outcome.PENDING;
  private volatile Thread thread;
  /** Test hook run in each chunk, holding the guard, with the iterator open on its first entry. */
  private volatile Runnable inChunk = () -> {};

  CacheWarmer(RocksDB db, ColumnFamilyHandle keys, long cacheBytes, Path path, Supplier<Lock> enter,
      RowCache rows) {
    this.rows = rows;
    this.db = db;
    this.keys = keys;
    this.cacheBytes = cacheBytes;
    this.path = path;
    this.enter = enter;
  }

  /** Whether tables of {@code tableBytes} are warmed by a cache of {@code cacheBytes}. */
  static boolean fits(long tableBytes, long cacheBytes) {
    return cacheBytes > 0 && tableBytes <= cacheBytes / 2;
  }

  /** Starts warming in a daemon thread; {@link #awaitBackground} waits for it. */
  void startInBackground() {
    Thread t = new Thread(() -> {
      try {
        warm("open");
      } catch (RuntimeException | Error e) {
        outcome = Outcome.FAILED;
        log.warn("warming the block cache failed (path={})", path, e);
      } finally {
        backgroundDone.countDown();
      }
    }, THREAD_NAME);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Reads the tables once if they fit in half of the block cache; returns what it did. Stops,
   * without an error, when the engine closes.
   */
  Outcome warm(String reason) {
    long start = System.nanoTime();
    long tableBytes;
    Lock l = enter.get();
    if (l == null) {
      return finish(Outcome.STOPPED);
    }
    try {
      tableBytes = db.getLongProperty(keys, TABLE_BYTES_PROPERTY);
    } catch (RocksDBException e) {
      log.warn("cannot read the table size; not warming the block cache (path={})", path, e);
      return finish(Outcome.FAILED);
    } finally {
      l.unlock();
    }
    if (!fits(tableBytes, cacheBytes)) {
      log.info("not warming the block cache after {}: tables of {} bytes exceed half of blockCacheBytes {} (path={})",
          reason, tableBytes, cacheBytes, path);
      return finish(Outcome.TOO_LARGE);
    }
    long entries = 0;
    byte[] from = null;
    try {
      do {
        byte[][] next = new byte[1][];
        int n = chunk(from, next);
        if (n < 0) {
          log.info("stopped warming the block cache after {} at close: {} entries read (path={})",
              reason, entries, path);
          return finish(Outcome.STOPPED);
        }
        entries += n;
        entriesRead.addAndGet(n);
        from = next[0];
      } while (from != null);
    } catch (RocksDBException e) {
      log.warn("warming the block cache failed after {} entries (path={})", entries, path, e);
      return finish(Outcome.FAILED);
    }
    log.info("warmed the block cache after {}: {} entries, {} bytes of tables, {} row cache entries"
        + " added, in {} ms (path={})", reason, entries, tableBytes, rowsAdded.get(),
        (System.nanoTime() - start) / 1_000_000, path);
    return finish(Outcome.WARMED);
  }

  /**
   * Reads up to {@link #CHUNK_ENTRIES} entries from {@code from} (inclusive; null: the first key)
   * under the guard; puts the key to continue from in {@code next[0]} (null at the end). Returns
   * the number read, or -1 if the engine is closing.
   */
  private int chunk(byte[] from, byte[][] next) throws RocksDBException {
    Lock l = enter.get();
    if (l == null) {
      return -1;
    }
    RowCache fill = rows != null && rows.fillsOnFirstRead() ? rows : null;
    Snapshot snapshot = fill == null ? null : db.getSnapshot();
    try (ReadOptions ro = readOptions(snapshot); RocksIterator it = db.newIterator(keys, ro)) {
      List<byte[]> read = fill == null ? null : new ArrayList<>();
      List<byte[]> values = fill == null ? null : new ArrayList<>();
      if (from == null) {
        it.seekToFirst();
      } else {
        it.seek(from);
      }
      if (it.isValid()) {
        inChunk.run();
      }
      int n = 0;
      for (; it.isValid() && n < CHUNK_ENTRIES; it.next()) {
        if (stopped) {
          return -1;
        }
        if (fill != null) {
          byte[] v = it.value();
          if (v.length >= PREFILL_MIN_VALUE_BYTES) {
            read.add(it.key());
            values.add(v);
          }
        }
        n++;
      }
      it.status();
      next[0] = it.isValid() ? it.key() : null;
      if (fill != null && !read.isEmpty()) {
        int before = fill.size();
        fill.addAll(read, values, null, snapshot.getSequenceNumber(), db::getLatestSequenceNumber);
        rowsAdded.addAndGet(Math.max(0, fill.size() - before));
      }
      return n;
    } finally {
      if (snapshot != null) {
        db.releaseSnapshot(snapshot);
      }
      l.unlock();
    }
  }

  /** Options of a chunk's scan: filling the block cache, at {@code snapshot} unless null. */
  private static ReadOptions readOptions(Snapshot snapshot) {
    ReadOptions ro = new ReadOptions().setFillCache(true).setReadaheadSize(READAHEAD_BYTES);
    return snapshot == null ? ro : ro.setSnapshot(snapshot);
  }

  private Outcome finish(Outcome o) {
    outcome = o;
    return o;
  }

  /**
   * Makes the warmer stop at its next entry; called by close before it takes the guard's write
   * side, so close waits for at most the entry being read.
   */
  void stop() {
    stopped = true;
  }

  /** Waits up to {@code millis} for the background thread to end (close calls it after freeing). */
  void joinBackground(long millis) {
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the background warming started at open; true if it ended (or never started). */
  boolean awaitBackground(long timeout, TimeUnit unit) throws InterruptedException {
    return thread == null || backgroundDone.await(timeout, unit);
  }

  Outcome outcome() {
    return outcome;
  }

  long entriesRead() {
    return entriesRead.get();
  }

  /** Row cache entries added by warming so far (approximate under concurrent reads). */
  long rowsAdded() {
    return rowsAdded.get();
  }

  Thread thread() {
    return thread;
  }

  void inChunk(Runnable hook) {
    this.inChunk = hook;
  }
}
