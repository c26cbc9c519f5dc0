package io.tito.spi;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Snapshot versions and first-committer-wins conflict detection for engines that run in one
 * process (memory, embedded RocksDB). Each commit gets the next version; a commit conflicts when a
 * transaction that committed after its snapshot wrote a key it writes (points and cleared ranges
 * both count as writes).
 *
 * <p>Write history is kept only as long as a snapshot that could conflict with it is open.
 * Thread-safe.
 */
public final class CommitSequencer {

  /** Applies a checked write set at its commit version; must be atomic (all or nothing). */
  @FunctionalInterface
  public interface Applier {
    void apply(WriteSet writes, long version);
  }

  private static final int PRUNE_EVERY = 1024;

  private final ReentrantLock commitLock = new ReentrantLock();
  private final TreeMap<byte[], Long> lastPointWrite = new TreeMap<>(ByteArrays.COMPARATOR);
  private final List<RangeWrite> rangeWrites = new ArrayList<>();
  private final TreeMap<Long, Integer> activeSnapshots = new TreeMap<>();
  private volatile long visible;
  private int commitsSincePrune;

  /** Starts at {@code initialVersion} (e.g. 0 for a new store). */
  public CommitSequencer(long initialVersion) {
    this.visible = initialVersion;
  }

  /** The last committed version. */
  public long visibleVersion() {
    return visible;
  }

  /**
   * Registers a snapshot at the latest committed version and returns it. Every version up to the
   * returned one has been fully applied before this returns. Pair with {@link #closeSnapshot}.
   */
  public long openSnapshot() {
    synchronized (activeSnapshots) {
      long v = visible;
      activeSnapshots.merge(v, 1, Integer::sum);
      return v;
    }
  }

  /**
   * Runs {@code action} while no commit is being checked or applied (under the commit lock), so an
   * engine can take its own snapshot together with {@link #openSnapshot} and have it hold exactly
   * the commits up to that version. Keep the action short: commits wait for it.
   */
  public <T> T whileNoCommitApplies(Supplier<T> action) {
    commitLock.lock();
    try {
      return action.get();
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * Registers one more snapshot at {@code version}, which must be held by a snapshot that is still
   * open (so the writes after it are still tracked); for engines that share one snapshot between
   * transactions. Pair with {@link #closeSnapshot}.
   *
   * @throws IllegalStateException if no open snapshot holds {@code version}
   */
  public long openSnapshotAt(long version) {
    synchronized (activeSnapshots) {
      Integer n = activeSnapshots.get(version);
      if (n == null) {
        throw new IllegalStateException("no open snapshot at version " + version);
      }
      activeSnapshots.put(version, n + 1);
      return version;
    }
  }

  /** Unregisters a snapshot opened by {@link #openSnapshot}. */
  public void closeSnapshot(long version) {
    synchronized (activeSnapshots) {
      activeSnapshots.computeIfPresent(version, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  /** The oldest open snapshot, or the visible version if none is open. */
  public long oldestActiveSnapshot() {
    synchronized (activeSnapshots) {
      return activeSnapshots.isEmpty() ? visible : activeSnapshots.firstKey();
    }
  }

  /**
   * Checks {@code writes} against commits after {@code snapshotVersion}, then applies them at the
   * next version, serialised with every other commit.
   *
   * @return the commit version
   * @throws ConflictException if a later commit wrote a key this one writes; nothing applied
   */
  public long commit(long snapshotVersion, WriteSet writes, Applier applier) {
    commitLock.lock();
    try {
      checkConflicts(snapshotVersion, writes);
      long version = visible + 1;
      applier.apply(writes, version);
      record(writes, version);
      visible = version;
      if (++commitsSincePrune >= PRUNE_EVERY) {
        prune();
      }
      return version;
    } finally {
      commitLock.unlock();
    }
  }

  private void checkConflicts(long snapshot, WriteSet writes) {
    for (byte[] key : writes.points().keySet()) {
      Long last = lastPointWrite.get(key);
      if ((last != null && last > snapshot) || inLaterRange(key, snapshot)) {
        throw conflict(key, snapshot);
      }
    }
    for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
      for (Map.Entry<byte[], Long> w : lastPointWrite.subMap(r.getKey(), true, r.getValue(), false).entrySet()) {
        if (w.getValue() > snapshot) {
          throw conflict(w.getKey(), snapshot);
        }
      }
      for (RangeWrite rw : rangeWrites) {
        if (rw.version > snapshot
            && ByteArrays.compare(rw.begin, r.getValue()) < 0
            && ByteArrays.compare(r.getKey(), rw.end) < 0) {
          throw conflict(r.getKey(), snapshot);
        }
      }
    }
  }

  private boolean inLaterRange(byte[] key, long snapshot) {
    for (RangeWrite rw : rangeWrites) {
      if (rw.version > snapshot && ByteArrays.compare(rw.begin, key) <= 0
          && ByteArrays.compare(key, rw.end) < 0) {
        return true;
      }
    }
    return false;
  }

  private static ConflictException conflict(byte[] key, long snapshot) {
    return new ConflictException("a concurrent transaction committed a write to a key this one writes",
        Map.of("key", ByteArrays.printable(key), "snapshotVersion", snapshot));
  }

  private void record(WriteSet writes, long version) {
    for (byte[] key : writes.points().keySet()) {
      lastPointWrite.put(key, version);
    }
    for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
      rangeWrites.add(new RangeWrite(r.getKey(), r.getValue(), version));
    }
  }

  private void prune() {
    commitsSincePrune = 0;
    long oldest = oldestActiveSnapshot();
    Iterator<Map.Entry<byte[], Long>> it = lastPointWrite.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() <= oldest) {
        it.remove();
      }
    }
    rangeWrites.removeIf(rw -> rw.version <= oldest);
  }

  /** Number of writes still remembered for conflict checks (for tests and metrics). */
  public int trackedWrites() {
    commitLock.lock();
    try {
      return lastPointWrite.size() + rangeWrites.size();
    } finally {
      commitLock.unlock();
    }
  }

  private record RangeWrite(byte[] begin, byte[] end, long version) {}
}
