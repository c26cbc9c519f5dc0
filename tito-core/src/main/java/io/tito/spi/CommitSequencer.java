package io.tito.spi;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Snapshot versions and first-committer-wins conflict detection for engines that run in one
 * process (memory, embedded RocksDB). Each commit gets the next version; a commit conflicts when a
 * transaction that committed after its snapshot wrote a key it writes (points and cleared ranges
 * both count as writes).
 *
 * <p>Only transactions that may commit writes take part: a writer {@linkplain #begin() begins}
 * here and holds the write history after its snapshot back until it ends, or until it is older
 * than the {@linkplain #maxTransactionAge() maximum transaction age}; then it holds nothing and
 * fails at its next call or commit with {@link SnapshotRegistry#tooOld}. Read-only transactions
 * never conflict and never register, so a long read holds no history. History is pruned a little
 * at every commit, oldest commits first (work proportional to what is removed), never by a pass
 * over all of it; cleared ranges are indexed, so checks never scan the whole history.
 *
 * <p>Thread-safe.
 */
public final class CommitSequencer {

  /** Applies a checked write set at its commit version; must be atomic (all or nothing). */
  @FunctionalInterface
  public interface Applier {
    void apply(WriteSet writes, long version);
  }

  /**
   * Reads the latest committed values of keys (in their order, {@code null} where absent), from
   * the applied state under the commit lock; see {@link WriteSet#materialiseSequences}.
   */
  @FunctionalInterface
  public interface LatestReader {
    List<byte[]> latest(List<byte[]> keys);
  }

  /** The highest stamp floor: stamp versions stay far from overflowing. */
  public static final long MAX_STAMP_FLOOR = Long.MAX_VALUE / 4;

  /** Pruning visits at least this many writes per commit, and twice the commit's own size. */
  private static final long MIN_PRUNE_BUDGET = 256;

  private final ReentrantLock commitLock = new ReentrantLock();
  private final String engine;
  private final SnapshotRegistry writers;
  private final ConflictHistory history;
  private volatile long visible;
  /** Added to commit versions to give stamp versions; only raised, under the commit lock. */
  private volatile long stampBase;
  private volatile Runnable appliedHook;

  /**
   * Starts at {@code initialVersion} (e.g. 0 for a new store), with the
   * {@linkplain SnapshotRegistry#DEFAULT_MAX_TRANSACTION_AGE default maximum transaction age}.
   */
  public CommitSequencer(long initialVersion) {
    this(initialVersion, "local", SnapshotRegistry.DEFAULT_MAX_TRANSACTION_AGE);
  }

  /**
   * Starts at {@code initialVersion}; writers older than {@code maxTransactionAge} stop holding
   * history and fail.
   *
   * @param engine the engine's name, for error messages
   * @throws io.tito.InvalidArgumentException if {@code maxTransactionAge} is not positive
   */
  public CommitSequencer(long initialVersion, String engine, Duration maxTransactionAge) {
    this(initialVersion, engine, maxTransactionAge, System::nanoTime);
  }

  /** Same, reading ages from {@code nanoClock} (as {@link System#nanoTime()}; tests pass a manual clock). */
  public CommitSequencer(long initialVersion, String engine, Duration maxTransactionAge, LongSupplier nanoClock) {
    this.visible = initialVersion;
    this.engine = engine;
    this.writers = new SnapshotRegistry(engine, maxTransactionAge, nanoClock);
    this.history = new ConflictHistory(initialVersion);
  }

  /** The last committed version. */
  public long visibleVersion() {
    return visible;
  }

  /** The maximum age of a writer. */
  public Duration maxTransactionAge() {
    return writers.maxTransactionAge();
  }

  /**
   * Begins a writer at the latest committed version. Every version up to it has been fully
   * applied. Pair with {@link #end}.
   */
  public SnapshotRegistry.Registration begin() {
    while (true) {
      SnapshotRegistry.Registration r = writers.register(visible);
      if (r != null) {
        return r;
      }
    }
  }

  /**
   * Begins a writer at {@code version}, an older snapshot shared between transactions; pair with
   * {@link #end}.
   *
   * @return the registration, or {@code null} if the history after {@code version} is no longer
   *     kept (begin at a newer snapshot)
   */
  public SnapshotRegistry.Registration beginAt(long version) {
    return writers.register(version);
  }

  /** Ends a writer begun here (idempotent). */
  public void end(SnapshotRegistry.Registration writer) {
    writers.release(writer);
  }

  /**
   * Throws {@link SnapshotRegistry#tooOld} if the writer is older than the maximum age.
   */
  public void checkAge(SnapshotRegistry.Registration writer) {
    writers.checkAge(writer);
  }

  /**
   * Pins the latest committed version: history after it is kept until {@link #unpin}, so that
   * writers may {@link #beginAt} it. Call inside {@link #whileNoCommitApplies}.
   *
   * @return the pinned version
   */
  public long pinVisible() {
    long v = visible;
    writers.pin(v);
    return v;
  }

  /** Drops a pin of {@link #pinVisible}. */
  public void unpin(long version) {
    writers.unpin(version);
  }

  /**
   * Runs {@code action} while no commit is being checked or applied (under the commit lock), so an
   * engine can take its own snapshot together with {@link #pinVisible} and have it hold exactly
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
   * Checks {@code writes} against commits after the writer's snapshot, then applies them at the
   * next version, serialised with every other commit. Stamped writes are materialised at that
   * version first ({@link WriteSet#materialiseStamps}): versions are published in order after
   * their writes are applied, so engines using this class have {@link
   * Capability#COMMIT_ORDERED_KEYS} as long as their snapshots hold exactly the commits up to a
   * published version.
   *
   * @return the commit version
   * @throws ConflictException if a later commit wrote a key this one writes, or the writer is
   *     older than the maximum age; nothing applied
   */
  public long commit(SnapshotRegistry.Registration writer, WriteSet writes, Applier applier) {
    return commit(writer, writes, null, applier);
  }

  /**
   * Like {@link #commit(SnapshotRegistry.Registration, WriteSet, Applier)}, also materialising
   * sequenced appends ({@link WriteSet#materialiseSequences}) after the conflict checks, under the
   * commit lock, from {@code latest}: engines using this have {@link
   * Capability#COMMIT_SEQUENCED_APPENDS} as long as {@code latest} reads every applied commit.
   * The counters become written keys of the commit, recorded for later conflict checks.
   *
   * @param latest reads the latest applied values; null: the engine has no sequenced appends
   */
  public long commit(SnapshotRegistry.Registration writer, WriteSet writes, LatestReader latest,
      Applier applier) {
    commitLock.lock();
    try {
      writers.checkAge(writer);
      long snapshot = writer.version();
      if (snapshot < history.prunedThrough()) {
        throw SnapshotRegistry.tooOld(engine, maxTransactionAge().plusNanos(1), maxTransactionAge());
      }
      byte[] key = history.findConflict(snapshot, writes);
      if (key != null) {
        throw new ConflictException("a concurrent transaction committed a write to a key this one writes",
            Map.of("key", ByteArrays.printable(key), "snapshotVersion", snapshot));
      }
      long version = visible + 1;
      writes.materialiseStamps(version + stampBase);
      if (writes.hasSequenced()) {
        if (latest == null) {
          throw new io.tito.InvalidArgumentException("engine has no sequenced appends", Map.of("engine", engine));
        }
        writes.materialiseSequences(latest::latest);
      }
      applier.apply(writes, version);
      try {
        // A writer alone in the registry (the usual single-threaded case) raises the floor past
        // its commit instead: no writer can begin below it, so none can conflict with these writes.
        if (!writers.raiseFloorIfAlone(writer, version)) {
          history.record(writes, version);
        }
        Runnable hook = appliedHook;
        if (hook != null) {
          hook.run();
        }
      } finally {
        // Applied writes are never left at an unpublished version a later commit would reuse.
        visible = version;
      }
      long budget = Math.max(MIN_PRUNE_BUDGET, 2 * (writes.points().size() + writes.clearedRangeMap().size()));
      history.prune(writers.advanceFloor(version), budget);
      return version;
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * What is added to commit versions to give stamp versions ({@link WriteSet#materialiseStamps}):
   * 0 until {@linkplain #raiseStampFloor raised}.
   */
  public long stampBase() {
    return stampBase;
  }

  /**
   * Sets the stamp base to at least {@code base}: an engine calls this at open with the base it
   * stored, before any commit.
   */
  public void restoreStampBase(long base) {
    commitLock.lock();
    try {
      stampBase = Math.max(stampBase, base);
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * Raises the stamp base so that every later commit stamps above {@code version} (see {@link
   * Engine#raiseStampFloor}); nothing when it already does. Serialised with commits: a commit
   * after this returned stamps above {@code version}, one before did not see the new base.
   *
   * @param store persists the new base before any commit uses it (durable engines; may throw,
   *     then nothing changes)
   * @return whether the base was raised
   */
  public boolean raiseStampFloor(long version, java.util.function.LongConsumer store) {
    if (version < 0 || version > MAX_STAMP_FLOOR) {
      throw new io.tito.InvalidArgumentException("stamp floor out of range",
          Map.of("version", version, "max", MAX_STAMP_FLOOR));
    }
    if (visible + 1 + stampBase > version) {
      return false; // visible and the base only grow: already above
    }
    commitLock.lock();
    try {
      long base = version - visible; // the next commit, visible + 1, stamps at version + 1
      if (base <= stampBase) {
        return false;
      }
      store.accept(base);
      stampBase = base;
      return true;
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * Fault injection for tests: runs {@code hook} inside every commit, holding the commit lock,
   * after the writes are applied and before the version is published ({@code null}: none).
   */
  public void onCommitApplied(Runnable hook) {
    appliedHook = hook;
  }

  /** Number of writes still remembered for conflict checks (for tests and metrics). */
  public long trackedWrites() {
    commitLock.lock();
    try {
      return history.size();
    } finally {
      commitLock.unlock();
    }
  }

  /** Number of open writers and pins holding history back (for tests and metrics). */
  public int openWriters() {
    return writers.size();
  }
}
