package io.tito.spi;

import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The open snapshots that keep old state alive in an in-process engine (conflict history, old
 * versions), with a maximum age: a registration older than {@code maxTransactionAge} stops
 * holding anything back and its transaction fails at its next call with
 * {@link #tooOld} (a retriable {@link ConflictException}). So one forgotten or slow transaction
 * cannot make the engine's memory grow without bound.
 *
 * <p>The registry keeps a <em>floor</em>: the version up to which state may be dropped. It only
 * rises, and no registration below it is accepted again ({@link #register} answers {@code null};
 * register at a newer version then).
 *
 * <p>Thread-safe. Expiring old registrations costs amortised O(1) per registration; finding the
 * oldest is O(log n).
 */
public final class SnapshotRegistry {

  /** Default maximum age of a transaction: five minutes (as the JDBC engines). */
  public static final Duration DEFAULT_MAX_TRANSACTION_AGE = Duration.ofMinutes(5);

  private final String engine;
  private final long maxAgeNanos;
  private final LongSupplier clock;
  /** Open, unexpired registrations and pins, counted by version. */
  private final VersionCounts versions = new VersionCounts();
  /**
   * Open, unexpired registrations in the order they began: a list linked through the
   * registrations themselves (O(1) removal without hashing), oldest first.
   */
  private Registration oldest;
  private Registration newest;
  private long floor;
  /** Guards the fields above; a lock, not a monitor (virtual threads, see DESIGN-NOTES). */
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * A registry for {@code engine} (named in errors) whose registrations expire after
   * {@code maxTransactionAge}.
   *
   * @throws InvalidArgumentException if {@code maxTransactionAge} is null, zero or negative
   */
  public SnapshotRegistry(String engine, Duration maxTransactionAge) {
    this(engine, maxTransactionAge, System::nanoTime);
  }

  /**
   * Same, reading ages from {@code nanoClock} (as {@link System#nanoTime()}; tests pass a manual
   * clock).
   */
  public SnapshotRegistry(String engine, Duration maxTransactionAge, LongSupplier nanoClock) {
    this.engine = engine;
    this.maxAgeNanos = requireValidAge(maxTransactionAge).toNanos();
    this.clock = nanoClock;
  }

  /**
   * Checks a maximum transaction age setting.
   *
   * @return {@code age}
   * @throws InvalidArgumentException naming {@code maxTransactionAge} if it is null, not positive
   *     or longer than a day
   */
  public static Duration requireValidAge(Duration age) {
    if (age == null || age.isNegative() || age.isZero() || age.compareTo(Duration.ofDays(1)) > 0) {
      throw new InvalidArgumentException("setting maxTransactionAge must be positive and at most one day",
          Map.of("setting", "maxTransactionAge", "value", String.valueOf(age)));
    }
    return age;
  }

  /** The maximum age of a registration. */
  public Duration maxTransactionAge() {
    return Duration.ofNanos(maxAgeNanos);
  }

  /**
   * Registers a transaction's snapshot at {@code version}, beginning now.
   *
   * @return the registration, or {@code null} if {@code version} is below the floor (the state it
   *     needs may already be gone)
   */
  public Registration register(long version) {
    lock.lock();
    try {
      if (version < floor) {
        return null;
      }
      Registration r = new Registration(version, clock.getAsLong());
      link(r);
      versions.add(version);
      return r;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends a registration (idempotent). A registration that already expired holds nothing.
   */
  public void release(Registration r) {
    lock.lock();
    try {
      if (r.released) {
        return;
      }
      r.released = true;
      if (!r.expired) {
        unlink(r);
        versions.remove(r.version);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Holds state after {@code version} back, without expiry, until {@link #unpin}; for engines
   * that share one snapshot between transactions. {@code version} must not be below the floor
   * (take it under the lock that publishes versions).
   *
   * @throws IllegalStateException if {@code version} is below the floor
   */
  public void pin(long version) {
    lock.lock();
    try {
      if (version < floor) {
        throw new IllegalStateException("cannot pin version " + version + " below the floor " + floor);
      }
      versions.add(version);
    } finally {
      lock.unlock();
    }
  }

  /** Drops one pin taken by {@link #pin}. */
  public void unpin(long version) {
    lock.lock();
    try {
      versions.remove(version);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Raises the floor to {@code version} if {@code r} is the only open registration or pin (or none
   * is open), so that no registration below {@code version} can appear afterwards; a committing
   * writer alone in the registry thus knows that no transaction can ever conflict with its commit
   * at {@code version}, and need not remember its writes.
   *
   * @return whether the floor now is at least {@code version}
   */
  public boolean raiseFloorIfAlone(Registration r, long version) {
    lock.lock();
    try {
      boolean alone = versions.isEmpty()
          || (!r.expired && !r.released && versions.isOnly(r.version));
      if (alone) {
        floor = Math.max(floor, version);
      }
      return alone;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Expires registrations older than the maximum age, then raises the floor to the oldest version
   * still held (or {@code latest} if none is), and returns it. State up to the returned version
   * may be dropped.
   *
   * @param latest the newest published version
   */
  public long advanceFloor(long latest) {
    lock.lock();
    try {
      long now = clock.getAsLong();
      while (oldest != null && now - oldest.beganNanos > maxAgeNanos) {
        Registration r = oldest;
        r.expired = true;
        unlink(r);
        versions.remove(r.version);
      }
      long held = versions.isEmpty() ? latest : Math.min(versions.lowest(), latest);
      floor = Math.max(floor, held);
      return floor;
    } finally {
      lock.unlock();
    }
  }

  /** The current floor: no registration below it is accepted. */
  public long floor() {
    lock.lock();
    try {
      return floor;
    } finally {
      lock.unlock();
    }
  }

  /** Number of open, unexpired registrations and pins (for tests and metrics). */
  public int size() {
    lock.lock();
    try {
      return versions.total();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Throws {@link #tooOld} if {@code r} is older than the maximum age or was expired. Call at the
   * start of every transaction call, and after reading state the registration protects (an expiry
   * racing with the read is then caught).
   */
  public void checkAge(Registration r) {
    long age = clock.getAsLong() - r.beganNanos;
    if (r.expired || age > maxAgeNanos) {
      throw tooOld(Math.max(age, maxAgeNanos + 1));
    }
  }

  private ConflictException tooOld(long ageNanos) {
    return tooOld(engine, Duration.ofNanos(ageNanos), Duration.ofNanos(maxAgeNanos));
  }

  /**
   * The error of a transaction older than its engine's maximum transaction age: a retriable
   * {@link ConflictException} (re-run the work in a new transaction; split long reads into
   * several transactions with continuations).
   */
  public static ConflictException tooOld(String engine, Duration age, Duration max) {
    return new ConflictException("transaction is older than the engine's maxTransactionAge",
        Map.of("engine", engine, "ageMillis", age.toMillis(), "maxTransactionAgeMillis", max.toMillis()));
  }

  /** Appends {@code r} to the begin-order list (as its newest). */
  private void link(Registration r) {
    r.older = newest;
    if (newest == null) {
      oldest = r;
    } else {
      newest.newer = r;
    }
    newest = r;
  }

  /** Removes {@code r}, which is in the begin-order list, from it. */
  private void unlink(Registration r) {
    if (r.older == null) {
      oldest = r.newer;
    } else {
      r.older.newer = r.newer;
    }
    if (r.newer == null) {
      newest = r.older;
    } else {
      r.newer.older = r.older;
    }
    r.older = null;
    r.newer = null;
  }

  /**
   * Counts by version. The usual state, nothing held or everything held at one version (a writer
   * alone, or readers sharing the newest version), is two fields: no tree, no boxing. A second
   * distinct version moves the counts into a tree until it is empty again. Guarded by the lock.
   */
  private static final class VersionCounts {
    /** Used while {@link #tree} is empty: {@code soleCount} holds at {@code soleVersion}. */
    private long soleVersion;
    private int soleCount;
    /** Every count while more than one version is (or recently was) held; else empty. */
    private final TreeMap<Long, Integer> tree = new TreeMap<>();

    void add(long version) {
      if (tree.isEmpty() && (soleCount == 0 || soleVersion == version)) {
        soleVersion = version;
        soleCount++;
        return;
      }
      if (soleCount > 0) {
        tree.put(soleVersion, soleCount);
        soleCount = 0;
      }
      tree.merge(version, 1, Integer::sum);
    }

    /** Drops one count at {@code version}; nothing if none is held there. */
    void remove(long version) {
      if (soleCount > 0) {
        if (soleVersion == version) {
          soleCount--;
        }
        return;
      }
      tree.computeIfPresent(version, (k, n) -> n == 1 ? null : n - 1);
    }

    boolean isEmpty() {
      return soleCount == 0 && tree.isEmpty();
    }

    /** The lowest version held; only when not {@link #isEmpty}. */
    long lowest() {
      return soleCount > 0 ? soleVersion : tree.firstKey();
    }

    /** Whether exactly one count is held, at {@code version}. */
    boolean isOnly(long version) {
      if (soleCount > 0) {
        return soleCount == 1 && soleVersion == version;
      }
      return tree.size() == 1 && tree.firstKey() == version && tree.firstEntry().getValue() == 1;
    }

    int total() {
      int n = soleCount;
      for (int c : tree.values()) {
        n += c;
      }
      return n;
    }
  }

  /** One registered snapshot. Identity equality. */
  public static final class Registration {
    private final long version;
    private final long beganNanos;
    private volatile boolean expired;
    private boolean released;
    /** Neighbours in the registry's begin-order list while open and unexpired; else null. */
    private Registration older;
    private Registration newer;

    private Registration(long version, long beganNanos) {
      this.version = version;
      this.beganNanos = beganNanos;
    }

    /** The snapshot version. */
    public long version() {
      return version;
    }

    /** Whether the registry expired it (it holds nothing back any more). */
    public boolean isExpired() {
      return expired;
    }
  }
}
