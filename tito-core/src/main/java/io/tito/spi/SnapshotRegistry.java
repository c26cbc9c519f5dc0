package io.tito.spi;

import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
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
  private final TreeMap<Long, Integer> versions = new TreeMap<>();
  /** Open, unexpired registrations in the order they began (identity set, O(1) removal). */
  private final LinkedHashSet<Registration> byAge = new LinkedHashSet<>();
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
      byAge.add(r);
      versions.merge(version, 1, Integer::sum);
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
        byAge.remove(r);
        decrement(r.version);
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
      versions.merge(version, 1, Integer::sum);
    } finally {
      lock.unlock();
    }
  }

  /** Drops one pin taken by {@link #pin}. */
  public void unpin(long version) {
    lock.lock();
    try {
      decrement(version);
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
          || (!r.expired && !r.released && versions.size() == 1
              && versions.firstKey() == r.version && versions.firstEntry().getValue() == 1);
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
      Iterator<Registration> it = byAge.iterator();
      while (it.hasNext()) {
        Registration r = it.next();
        if (now - r.beganNanos <= maxAgeNanos) {
          break;
        }
        r.expired = true;
        it.remove();
        decrement(r.version);
      }
      long oldest = versions.isEmpty() ? latest : Math.min(versions.firstKey(), latest);
      floor = Math.max(floor, oldest);
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
      return versions.values().stream().mapToInt(Integer::intValue).sum();
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

  private void decrement(long version) {
    versions.computeIfPresent(version, (k, n) -> n == 1 ? null : n - 1);
  }

  /** One registered snapshot. Identity equality. */
  public static final class Registration {
    private final long version;
    private final long beganNanos;
    private volatile boolean expired;
    private boolean released;

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
