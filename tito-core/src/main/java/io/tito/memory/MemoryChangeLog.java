package io.tito.memory;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.spi.ChangeFeed;
import io.tito.spi.WriteSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The change log and retention holds of the memory engine: it keeps each commit, in memory, only while a hold covers it, so
 * a store without holds pays nothing. The engine calls {@link #record} from its commit applier
 * and places holds while no commit applies, so a hold placed at version {@code V} sees every
 * commit after {@code V}. Thread-safe.
 */
final class MemoryChangeLog {

  private final ReentrantLock lock = new ReentrantLock();
  private final TreeMap<String, Long> holds = new TreeMap<>();
  private final ConcurrentSkipListMap<Long, ChangeFeed.Commit> commits = new ConcurrentSkipListMap<>();
  private final LongSupplier wallClock;
  private volatile boolean recording;

  /** A log reading commit times from {@code wallClock} (epoch milliseconds). */
  MemoryChangeLog(LongSupplier wallClock) {
    this.wallClock = wallClock;
  }

  /** Keeps {@code writes} at {@code version} if a hold exists. Call from the commit applier. */
  void record(WriteSet writes, long version) {
    if (recording) {
      commits.put(version, ChangeFeed.Commit.of(version, wallClock.getAsLong(), writes));
    }
  }

  /** {@link ChangeFeed#placeHold}; the caller runs it while no commit applies. */
  long placeHold(String name, long currentVersion) {
    ChangeFeed.checkHoldName(name);
    lock.lock();
    try {
      Long existing = holds.get(name);
      if (existing != null) {
        return existing;
      }
      holds.put(name, currentVersion);
      recording = true;
      return currentVersion;
    } finally {
      lock.unlock();
    }
  }

  /** {@link ChangeFeed#moveHold}. */
  void moveHold(String name, long version, long currentVersion) {
    lock.lock();
    try {
      Long existing = holds.get(name);
      if (existing == null) {
        throw new NotFoundException("no such hold", Map.of("hold", String.valueOf(name)));
      }
      if (version < existing || version > currentVersion) {
        throw new InvalidArgumentException("a hold moves forward, up to the current version",
            Map.of("hold", name, "from", existing, "to", version, "currentVersion", currentVersion));
      }
      holds.put(name, version);
      trim();
    } finally {
      lock.unlock();
    }
  }

  /** {@link ChangeFeed#releaseHold}. */
  void releaseHold(String name) {
    lock.lock();
    try {
      if (holds.remove(name) != null) {
        trim();
      }
    } finally {
      lock.unlock();
    }
  }

  /** {@link ChangeFeed#holdVersion}. */
  OptionalLong holdVersion(String name) {
    lock.lock();
    try {
      Long v = holds.get(name);
      return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    } finally {
      lock.unlock();
    }
  }

  /** {@link ChangeFeed#holds}. */
  Map<String, Long> holds() {
    lock.lock();
    try {
      return Map.copyOf(holds);
    } finally {
      lock.unlock();
    }
  }

  /** {@link ChangeFeed#changesAfter}: the retained commits in {@code (after, through]}. */
  ChangeFeed.ChangeCursor changesAfter(long after, long through, long currentVersion) {
    lock.lock();
    NavigableMap<Long, ChangeFeed.Commit> range;
    try {
      checkRange(after, through, currentVersion);
      range = commits.subMap(after, false, through, true);
    } finally {
      lock.unlock();
    }
    // Copied: a hold may be released while the cursor is open, and trimming must not cut it short.
    Iterator<ChangeFeed.Commit> it = new ArrayList<>(range.values()).iterator();
    return new ChangeFeed.ChangeCursor() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public ChangeFeed.Commit next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  /** Number of commits kept (for tests and metrics). */
  int size() {
    return commits.size();
  }

  private void checkRange(long after, long through, long currentVersion) {
    if (after > through || through > currentVersion) {
      throw new InvalidArgumentException("changes are asked for versions (after, through] up to the current version",
          Map.of("after", after, "through", through, "currentVersion", currentVersion));
    }
    boolean covered = holds.values().stream().anyMatch(h -> h <= after);
    if (!covered) {
      throw new InvalidArgumentException("no hold keeps the changes after this version; they may be gone",
          Map.of("after", after, "holds", new TreeMap<>(holds)));
    }
  }

  private void trim() {
    if (holds.isEmpty()) {
      recording = false;
      commits.clear();
      return;
    }
    long floor = holds.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    commits.headMap(floor, true).clear();
  }
}
