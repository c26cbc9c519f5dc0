package io.tito.rocksdb;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * An exact cache of present values of the key family, in front of RocksDB's point reads: RocksDB's
 * own row cache cannot be used, since it refuses range deletions (Tito's clears).
 *
 * <p>An entry holds a value and the RocksDB sequence number {@code from} at which it was read
 * while no write was under way and no newer sequence existed (or, for a commit's write-through,
 * the newest sequence right after its write): the value is the key's value at every sequence from
 * {@code from} until the next write of the key. Every write of the key family (a commit's batch,
 * a bulk ingest) brackets itself with {@link #beginWrite} and {@link #endWrite}; the first
 * removes the entries of its keys and ranges before the write (a bulk ingest's, all of them, again
 * after it), and no entry is added between the two (a write-through comes in the second). So an
 * entry found in the cache has not been written since {@code from}, except by a write whose
 * sequence is newer than any snapshot taken before the lookup; a reader whose snapshot sequence is
 * at or past {@code from} may use it, any other reads RocksDB.
 * Absent keys are not cached (the bloom filters answer them).
 *
 * <p>A key enters on its second read from RocksDB (see {@link #admit}), or on its first while the
 * store is small next to the cache ({@link #measureStoreWith}). Bounded by {@code capacityBytes} (keys, values and a fixed overhead per entry): past it,
 * entries are dropped in key order from a rotating position. Thread-safe.
 */
final class RowCache {

  /** Bytes counted per entry beyond its key and value (map node, entry, array headers). */
  static final int ENTRY_OVERHEAD = 112;

  private record Entry(byte[] value, long from) {}

  /** A key with its hash, for the hash map that answers lookups. */
  private static final java.lang.invoke.VarHandle WORDS = java.lang.invoke.MethodHandles
      .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private record Key(byte[] bytes, int hash) {
    static Key of(byte[] bytes) {
      return new Key(bytes, hash(bytes));
    }

    /**
     * Eight bytes at a time, each word mixed by a multiply, then a final avalanche: Tito's keys
     * share long prefixes and differ in a few trailing bytes (tuple-encoded ids), where {@code
     * Arrays.hashCode} collides often. Every commit hashes each key it writes (to remove it), so
     * this runs per written key.
     */
    static int hash(byte[] bytes) {
      long h = 0x9E3779B97F4A7C15L ^ bytes.length;
      int i = 0;
      for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
        h = (h ^ (long) WORDS.get(bytes, i)) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
      }
      long tail = 0;
      for (; i < bytes.length; i++) {
        tail = (tail << 8) | (bytes[i] & 0xff);
      }
      h = (h ^ tail) * 0x94D049BB133111EBL;
      h ^= h >>> 29;
      h *= 0xBF58476D1CE4E5B9L;
      return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Lookups. Changed only under {@link #lock}, together with {@link #order}. */
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  /** The same keys in order, for range removals and eviction. Changed only under the lock. */
  private final ConcurrentSkipListMap<byte[], Key> order =
      new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
  private final long capacityBytes;
  private final AtomicLong bytes = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private int writing;
  /** Writes begun so far (see {@link #endWrite(long, boolean, List, List, LongSupplier)}). */
  private long writesBegun;
  private byte[] evictFrom = new byte[0];
  /** Hashes of keys read once and not admitted yet, one per slot (see {@link #admit}). */
  private final int[] seen;
  /** The key family's size on disk, or null: not known (admission on the second read only). */
  private volatile LongSupplier storeBytes;
  /** Whether the store was small enough at the last measurement (see {@link #measureStoreWith}). */
  private volatile boolean smallStore;
  /** Additions since the store was last measured (racy: a lost update only delays a measure). */
  private int untilMeasure;
  /**
   * A store is small when its size on disk is at most this fraction of the capacity: values read
   * once from it enter at once, and all first-read insertions together cost at most that much.
   */
  static final int SMALL_STORE_FRACTION = 64;
  /** Additions between two measurements of the store. */
  static final int MEASURE_EVERY = 1024;

  RowCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
    long slots = Math.clamp(capacityBytes / 256, 1024, 1 << 20);
    this.seen = new int[Integer.highestOneBit((int) slots)];
  }

  /**
   * The row cache of an engine whose block cache holds {@code blockCacheBytes}: a quarter of that,
   * at most a sixteenth of the Java heap's maximum; null (none) when the block cache is disabled.
   */
  static RowCache forBlockCache(long blockCacheBytes) {
    long bytes = Math.min(blockCacheBytes / 4, Runtime.getRuntime().maxMemory() / 16);
    return bytes > 0 ? new RowCache(bytes) : null;
  }

  /**
   * Lets values enter on their first read from RocksDB while the key family's size on disk
   * ({@code storeBytes}: tables and memtables, measured now and again every {@link #MEASURE_EVERY}
   * additions) is at most {@code 1 / SMALL_STORE_FRACTION} of the capacity and the cache is
   * less than half full: the whole store then fits many times over (decompressed values and the
   * per-entry overhead included), so an entry pushes nothing out, the second read of every key
   * is a hit instead of a RocksDB read, and the insertions paid by first reads are few. A larger
   * store keeps admission on the second read, which spares one-off reads an insertion (at 100k
   * records they cost a point read 1-2 µs while most reads are first reads).
   */
  void measureStoreWith(LongSupplier storeBytes) {
    this.storeBytes = storeBytes;
    measure();
  }

  private void measure() {
    LongSupplier s = storeBytes;
    if (s != null) {
      long b = s.getAsLong();
      smallStore = b >= 0 && b <= capacityBytes / SMALL_STORE_FRACTION;
    }
  }

  /**
   * Whether values read now would all enter on their first read: the store was small next to the
   * cache at its last measurement (at open, then every {@link #MEASURE_EVERY} additions; see
   * {@link #measureStoreWith}) and the cache is less than half full. The cache warmer then adds
   * the values it reads ({@link CacheWarmer}), so that the first point read of each key after open
   * or compaction is a hit instead of a RocksDB read and an insertion. Does not measure: a
   * measurement at a moment of the warmer's choosing would change admission for every reader
   * (a new memtable's arena alone can exceed a small cache's threshold).
   */
  boolean fillsOnFirstRead() {
    return smallStore && bytes.get() < capacityBytes / 2;
  }

  /**
   * A copy of the cached value of {@code key} if a reader of snapshot sequence {@code sequence}
   * may use it, else null (read RocksDB).
   */
  byte[] get(byte[] key, long sequence) {
    Entry e = entries.get(Key.of(key));
    return e != null && e.from <= sequence ? e.value.clone() : null;
  }

  /**
   * Adds values read by a reader of snapshot sequence {@code sequence}: {@code values[i]} of
   * {@code keys[i]} where {@code values[i]} is not null and {@code wanted[i]} is true. Adds
   * nothing unless {@code sequence} is the newest sequence ({@code latest}, asked under the lock)
   * and no write is under way: an older snapshot may miss a newer write.
   */
  void addAll(List<byte[]> keys, List<byte[]> values, boolean[] wanted, long sequence,
      LongSupplier latest) {
    if (storeBytes != null && ++untilMeasure >= MEASURE_EVERY) {
      untilMeasure = 0;
      measure();
    }
    Key[] admitted = null;
    for (int i = 0; i < keys.size(); i++) {
      if (values.get(i) != null && (wanted == null || wanted[i])) {
        Key key = Key.of(keys.get(i));
        if (admit(key.hash)) {
          if (admitted == null) {
            admitted = new Key[keys.size()];
          }
          admitted[i] = key;
        }
      }
    }
    if (admitted == null) {
      return;
    }
    lock.lock();
    try {
      if (writing > 0 || latest.getAsLong() != sequence) {
        return;
      }
      for (int i = 0; i < admitted.length; i++) {
        if (admitted[i] != null) {
          byte[] k = keys.get(i).clone();
          byte[] v = values.get(i);
          Key key = new Key(k, admitted[i].hash);
          Entry old = entries.put(key, new Entry(v.clone(), sequence));
          if (old == null) {
            order.put(k, key);
          }
          bytes.addAndGet(size(k, v) - (old == null ? 0 : size(k, old.value)));
        }
      }
    } finally {
      lock.unlock();
    }
    if (bytes.get() > capacityBytes) {
      evict();
    }
  }

  /** As {@link #addAll} for one key. */
  void add(byte[] key, byte[] value, long sequence, LongSupplier latest) {
    if (value != null) {
      addAll(List.of(key), java.util.Collections.singletonList(value), null, sequence, latest);
    }
  }

  /**
   * Before a write of the key family: removes the entries of {@code points} and of the ranges
   * {@code [begin, end)} in {@code ranges} (every entry if {@code all}), and stops additions until
   * {@link #endWrite}.
   *
   * @return a token for {@link #endWrite}
   */
  long beginWrite(Iterable<byte[]> points, Map<byte[], byte[]> ranges, boolean all) {
    return beginWrite(points, ranges, all, List.of());
  }

  /**
   * As {@link #beginWrite(Iterable, Map, boolean)}; the keys of {@code writtenThrough} (among
   * {@code points}: a commit's counters, which {@link #endWrite(long, boolean, List, List,
   * LongSupplier)} usually puts back) lose their entry but keep their place in the key order,
   * so putting them back does not unlink and relink a skip-list node. A place without an entry
   * is harmless: reads go through the entries only, and range removal and eviction skip it.
   */
  long beginWrite(Iterable<byte[]> points, Map<byte[], byte[]> ranges, boolean all,
      List<byte[]> writtenThrough) {
    lock.lock();
    try {
      writing++;
      remove(points, ranges, all, writtenThrough);
      return ++writesBegun;
    } finally {
      lock.unlock();
    }
  }

  /**
   * After the write of {@link #beginWrite} (done or failed): allows additions again. No entry of
   * the written keys can have been added since {@link #beginWrite} removed them (additions are
   * refused while a write is under way, and a reader whose snapshot predates the write adds
   * nothing afterwards: its sequence is no longer the newest), so nothing is removed again,
   * except after a bulk ingest ({@code all}), whose files may not raise the newest sequence.
   */
  void endWrite(long token, boolean all) {
    endWrite(token, all, null, null, null);
  }

  /**
   * As {@link #endWrite(long, boolean)}; when the write succeeded ({@code latest} not null), also
   * puts {@code values[i]} of the written {@code keys[i]} (write-through; the arrays are taken, not
   * copied) as valid from the newest sequence, if no other write is under way or began since this
   * one's {@link #beginWrite}: then no write of the key family lies between this write and that
   * sequence, and none can come before the entry is in place (it would first have to remove it,
   * under the lock).
   */
  void endWrite(long token, boolean all, List<byte[]> keys, List<byte[]> values,
      LongSupplier latest) {
    boolean added = false;
    lock.lock();
    try {
      if (all) {
        remove(List.of(), Map.of(), true, List.of());
      }
      writing--;
      if (latest != null && keys != null && !keys.isEmpty() && writing == 0
          && token == writesBegun) {
        long from = latest.getAsLong();
        for (int i = 0; i < keys.size(); i++) {
          byte[] k = keys.get(i);
          byte[] v = values.get(i);
          if (v == null) {
            continue;
          }
          Key key = Key.of(k);
          Entry old = entries.put(key, new Entry(v, from));
          if (old == null) {
            order.put(k, key);
          }
          bytes.addAndGet(size(k, v) - (old == null ? 0 : size(k, old.value)));
          added = true;
        }
      }
    } finally {
      lock.unlock();
    }
    if (added && bytes.get() > capacityBytes) {
      evict();
    }
  }

  /**
   * The cached value of {@code key} as of the newest write, or null: for a caller that holds what
   * orders every write of the key family but bulk ingests (the commit lock), so every entry is
   * current (writes remove their keys first). Not a copy: the caller must not change it.
   */
  byte[] latest(byte[] key) {
    Entry e = entries.get(Key.of(key));
    return e == null ? null : e.value;
  }

  private void remove(Iterable<byte[]> points, Map<byte[], byte[]> ranges, boolean all,
      List<byte[]> keepPlace) {
    if (entries.isEmpty()) {
      return;
    }
    if (all) {
      entries.clear();
      order.clear();
      bytes.set(0);
      return;
    }
    for (byte[] k : points) {
      Entry old = entries.remove(Key.of(k));
      if (old != null) {
        if (!contains(keepPlace, k)) {
          order.remove(k);
        }
        bytes.addAndGet(-size(k, old.value));
      }
    }
    for (Map.Entry<byte[], byte[]> r : ranges.entrySet()) {
      if (Arrays.compareUnsigned(r.getKey(), r.getValue()) >= 0) {
        continue;
      }
      Iterator<Map.Entry<byte[], Key>> it =
          order.subMap(r.getKey(), r.getValue()).entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<byte[], Key> e = it.next();
        it.remove();
        Entry old = entries.remove(e.getValue());
        if (old != null) { // null: a kept place (see beginWrite)
          bytes.addAndGet(-size(e.getKey(), old.value));
        }
      }
    }
  }

  /** Drops entries in key order from where the last eviction stopped, to 7/8 of the capacity. */
  private void evict() {
    lock.lock();
    try {
      long target = capacityBytes - capacityBytes / 8;
      while (bytes.get() > target) {
        Map.Entry<byte[], Key> e = order.higherEntry(evictFrom);
        if (e == null) {
          e = order.firstEntry();
          if (e == null) {
            bytes.set(0);
            return;
          }
        }
        order.remove(e.getKey());
        Entry old = entries.remove(e.getValue());
        if (old != null) { // null: a kept place (see beginWrite)
          bytes.addAndGet(-size(e.getKey(), old.value));
        }
        evictFrom = e.getKey();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether a key read from RocksDB with hash {@code hash} enters the cache: on its first read
   * while the store is small (see {@link #measureStoreWith}), else only on its second
   * read while its slot in {@link #seen} still remembers it. Keys read once (a random read over a
   * large store) then cost a slot write instead of an insertion, and do not push out entries that
   * are read again. Racy by design: a lost update only delays or grants one admission.
   */
  private static boolean contains(List<byte[]> keys, byte[] key) {
    for (int i = 0, n = keys.size(); i < n; i++) {
      if (Arrays.equals(keys.get(i), key)) {
        return true;
      }
    }
    return false;
  }

  private boolean admit(int hash) {
    if (smallStore && bytes.get() < capacityBytes / 2) {
      return true;
    }
    int slot = hash & (seen.length - 1);
    if (seen[slot] == hash) {
      return true;
    }
    seen[slot] = hash;
    return false;
  }

  /** Entries held (for tests). */
  int size() {
    return entries.size();
  }

  private static long size(byte[] key, byte[] value) {
    return key.length + value.length + ENTRY_OVERHEAD;
  }
}
