package io.tito.spi;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
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
import java.util.regex.Pattern;

/**
 * The change log and retention holds of an in-process engine whose commits go through a {@link
 * CommitSequencer} (memory): it keeps each commit, in memory, only while a hold covers it, so
 * a store without holds pays nothing. The engine calls {@link #record} from its commit applier
 * and places holds while no commit applies, so a hold placed at version {@code V} sees every
 * commit after {@code V}. Thread-safe.
 */
public final class ChangeLog {

  private static final Pattern HOLD_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private final ReentrantLock lock = new ReentrantLock();
  private final TreeMap<String, Long> holds = new TreeMap<>();
  private final ConcurrentSkipListMap<Long, ChangeFeed.Commit> commits = new ConcurrentSkipListMap<>();
  private final LongSupplier wallClock;
  private volatile boolean recording;

  /** A log reading commit times from {@code wallClock} (epoch milliseconds). */
  public ChangeLog(LongSupplier wallClock) {
    this.wallClock = wallClock;
  }

  /** Checks a hold name: letters, digits, '-', '_' and '.', 1 to 100 characters. */
  public static void checkHoldName(String name) {
    if (name == null || !HOLD_NAME.matcher(name).matches()) {
      throw new InvalidArgumentException("hold name must be 1 to 100 letters, digits, '-', '_' or '.'",
          Map.of("name", String.valueOf(name)));
    }
  }

  /** Keeps {@code writes} at {@code version} if a hold exists. Call from the commit applier. */
  public void record(WriteSet writes, long version) {
    if (recording) {
      commits.put(version, ChangeFeed.Commit.of(version, wallClock.getAsLong(), writes));
    }
  }

  /** {@link ChangeFeed#placeHold}; the caller runs it while no commit applies. */
  public long placeHold(String name, long currentVersion) {
    checkHoldName(name);
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
  public void moveHold(String name, long version, long currentVersion) {
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
  public void releaseHold(String name) {
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
  public OptionalLong holdVersion(String name) {
    lock.lock();
    try {
      Long v = holds.get(name);
      return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    } finally {
      lock.unlock();
    }
  }

  /** {@link ChangeFeed#holds}. */
  public Map<String, Long> holds() {
    lock.lock();
    try {
      return Map.copyOf(holds);
    } finally {
      lock.unlock();
    }
  }

  /** {@link ChangeFeed#changesAfter}: the retained commits in {@code (after, through]}. */
  public ChangeFeed.ChangeCursor changesAfter(long after, long through, long currentVersion) {
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
  public int size() {
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
