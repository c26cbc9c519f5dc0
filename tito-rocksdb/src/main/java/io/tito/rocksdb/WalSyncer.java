package io.tito.rocksdb;

import io.tito.CommitUnknownException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the write-ahead log for {@link Durability#GROUP} and {@link Durability#PERIODIC}. Commit
 * versions double as WAL positions: a commit at version v is written to the WAL (under the commit
 * lock, so in version order) before {@link #written} is told about it, and a sync that starts
 * after reading {@code written == t} covers every version up to t.
 *
 * <p>{@link Durability#GROUP} uses leader/follower group commit and no thread of its own: a
 * committer waiting for its version becomes the leader if no sync is running, and syncs on its
 * own thread for every commit already in the WAL (its own and every other written so far); the
 * committers arriving while that sync runs wait as followers, and when it ends the first of them
 * still uncovered leads the next sync, covering all of them at once. No hand-off to another
 * thread sits on the commit path, so a lone committer pays one sync and N concurrent committers
 * share about one.
 *
 * <p>Gathering. Without it, N committers that each commit, wait and commit again split into two
 * alternating halves: the committers a sync covered are woken together with the ones it did not
 * cover, one of the latter leads the next sync at once, and the former, back a moment later with
 * their next commit, wait for the sync after it, so each sync covers about N/2 commits. A leader
 * therefore first waits, for at most half the recent sync time (never more than
 * {@link #MAX_GATHER_NANOS}), until as many committers wait for a version no sync covered yet
 * as were waiting when each of the previous two syncs ended (the population that came back at
 * least twice in a row); the arrival that completes them syncs for all of them on its own thread
 * (waking the sleeping leader to do it would put a wake-up on every round's path), and the leader
 * waits as a follower. Committers the last sync covered that have
 * not left yet are not counted: counting them let a leader skip gathering and sync for fewer
 * commits. Each gather in a row that
 * runs out of time halves the next one's bound (down to 1/64), and one that sees its estimate
 * met restores it, so a wrong estimate (a paced producer with a consumer that only sometimes
 * commits) costs less latency each time. A lone committer (population one) never waits; a
 * committer that stops committing drops out of the estimate after one sync, and one that commits
 * only now and then (a consumer's checkpoint, among producers) is not waited for. {@link
 * Durability#PERIODIC} runs a background thread syncing every interval.
 *
 * <p>Thread-safe.
 */
final class WalSyncer {

  /** The sync itself, e.g. {@code db::syncWal}. */
  @FunctionalInterface
  interface SyncAction {
    void sync() throws RocksDBException;
  }

  /**
   * What the engine does around each {@link Durability#GROUP} sync, on the leader's thread (one at a time): {@link
   * #prepare} before it (returns the version the sync covers, at least every version written so
   * far), then {@link #synced} (before any waiter is woken) or {@link #failed} (also when
   * {@code prepare} itself threw).
   */
  interface Hooks {
    long prepare();

    void synced();

    void failed();
  }

  private static final Logger log = LoggerFactory.getLogger(WalSyncer.class);
  /** The longest a group leader waits for other committers before it syncs. */
  static final long MAX_GATHER_NANOS = 1_000_000;

  private final SyncAction action;
  private final boolean periodic;
  private final long intervalNanos;
  private final Path path;
  private final Hooks hooks;
  private final long maxGatherNanos;
  /** Times syncs (for the gathering bound). */
  private final LongSupplier clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Condition progress = lock.newCondition();
  /** Signalled when a committer starts waiting, for a gathering leader. */
  private final Condition arrivals = lock.newCondition();
  private final Thread thread;
  private volatile long written;
  private long durable;
  private long failedUpTo;
  private RocksDBException failure;
  private boolean stopping;
  private boolean stopped;
  /** {@link Durability#GROUP}: a leader is syncing (outside the lock). */
  private boolean syncing;
  private long syncs;
  /** Threads in {@link #awaitDurable} now (the leader included). */
  private int waiting;
  /**
   * The versions the threads in {@link #awaitDurable} wait for, sorted, in the first {@link
   * #waiting} slots: a gathering leader counts only those a sync must still cover, not committers
   * already covered that have not left yet.
   */
  private long[] waitingVersions = new long[8];
  /**
   * The committers expected back: the smaller of the waiting counts at the last two syncs' ends, so
   * that a committer seen at one sync's end only (a consumer's occasional checkpoint commit, a
   * lease renewal) does not make the next leader wait for it.
   */
  private int population = 1;
  /** How many threads waited when the last sync ended (none yet: no bound on the first estimate). */
  private int lastWaiting = Integer.MAX_VALUE;
  /** A leader is gathering and wants to hear of arrivals. */
  private boolean gathering;
  /** Gathers that waited, and those of them that ran out of time (for tests and metrics). */
  private long gathers;
  private long gatherTimeouts;
  /** Times a gathering leader was woken before its bound ran out (for tests). */
  private long gatherWakeUps;
  /** Numbers the gathers, so that a leader knows whether an arrival took its sync over. */
  private long gatherSeq;
  /**
   * The last gather whose sync an arrival took over (see {@link #awaitDurable}). A gather with a
   * lower number that is still waiting was taken over too: no gather can start while another is
   * on (the leader's sync is on), unless that one's sync was taken over and ended.
   */
  private long takenOver;
  /** Syncs run by the arrival that completed a gathering leader's population (for tests). */
  private long takeovers;
  /** Gathers in a row that ran out of time: each halves the next gather's bound (at most 1/64). */
  private int gatherMisses;
  /** Moving average of a sync's duration, in nanoseconds. */
  private long syncNanos;

  private WalSyncer(SyncAction action, boolean periodic, long intervalNanos, Path path, Hooks hooks,
      long maxGatherNanos, LongSupplier clock) {
    this.action = action;
    this.maxGatherNanos = maxGatherNanos;
    this.clock = clock;
    this.hooks = hooks;
    this.periodic = periodic;
    this.intervalNanos = intervalNanos;
    this.path = path;
    this.thread = periodic
        ? Thread.ofPlatform().daemon().name("tito-rocksdb-wal-sync").unstarted(this::run)
        : null;
  }

  /** A syncer whose waiting committers sync ({@link Durability#GROUP}). */
  static WalSyncer group(SyncAction action, Path path) {
    return group(action, path, null);
  }

  /** A group syncer calling {@code hooks} (may be null) around each sync. */
  static WalSyncer group(SyncAction action, Path path, Hooks hooks) {
    return group(action, path, hooks, MAX_GATHER_NANOS, System::nanoTime);
  }

  /** A group syncer gathering for at most {@code maxGatherNanos}, timing syncs with {@code clock}. */
  static WalSyncer group(SyncAction action, Path path, Hooks hooks, long maxGatherNanos, LongSupplier clock) {
    return new WalSyncer(action, false, 0, path, hooks, maxGatherNanos, clock);
  }

  /** A syncer that syncs every interval if something was written ({@link Durability#PERIODIC}); started. */
  static WalSyncer periodic(SyncAction action, long intervalNanos, Path path) {
    WalSyncer s = new WalSyncer(action, true, intervalNanos, path, null, 0, System::nanoTime);
    s.thread.start();
    return s;
  }

  /** Records that every version up to {@code version} is in the WAL. Called under the commit lock. */
  void written(long version) {
    written = version;
  }

  /**
   * Waits until a sync covered {@code version}; in {@link Durability#GROUP} the caller may run
   * that sync itself (as the leader, for every commit written so far). Not interruptible: the
   * commit is already applied, so giving up early would report it as failed; the interrupt flag
   * is kept.
   *
   * @throws CommitUnknownException if the sync covering it failed (the commit is applied, but
   *     may not survive a machine crash; in {@link Durability#GROUP} no transaction reads it)
   */
  void awaitDurable(long version) {
    lock.lock();
    addWaiting(version);
    // The arrival that completes the expected population runs the sync itself, on its thread that
    // is running already, instead of waking the gathering leader to run it: that wake-up sat on
    // every round's path (35-45 us on the development VM). The leader, asleep, learns of it when
    // it wakes ({@link #gather}) and waits as a follower.
    boolean takeOver = gathering && uncovered() >= population;
    if (takeOver) {
      gathering = false;
      takenOver = gatherSeq;
      takeovers++;
    }
    try {
      if (takeOver) {
        syncAsLeader();
      }
      while (durable < version) {
        if (failure != null && failedUpTo >= version) {
          throw new CommitUnknownException(
              "commit was applied but the write-ahead log could not be synced; it may not survive a crash",
              Map.of("path", path, "version", version), failure);
        }
        if (stopped) {
          throw new CommitUnknownException("engine closed before the commit was synced",
              Map.of("path", path, "version", version), null);
        }
        if (!periodic && !syncing) {
          lead();
        } else {
          progress.awaitUninterruptibly();
        }
      }
    } finally {
      removeWaiting(version);
      lock.unlock();
    }
  }

  /**
   * Waits until every commit written so far is durable, or its sync failed, or the syncer
   * stopped; never throws for those (the caller has nothing to report about them).
   */
  void awaitWrittenQuietly() {
    try {
      awaitDurable(written);
    } catch (CommitUnknownException e) {
      // The failure is reported to the commits the sync covered, and the store refuses new work.
    }
  }

  /**
   * Runs one group sync on the calling thread, the lock released meanwhile, unless an arrival
   * took it over while the caller gathered ({@link #gather}). Called holding the lock.
   * The sync ends ({@code syncing} false) only once the leader holds the lock again, after
   * {@link #syncUpTo} published its outcome: by then the leader and usually the committers the
   * sync covered have left the waiting count, so the next leader's gathering counts the
   * committers that still need a sync. (Ending it in the critical section that publishes the
   * outcome saves uncovered waiters a second wake-up, but let the next leader count covered
   * committers that had not left yet, skip gathering and sync for fewer commits: 2.5 instead
   * of 3.3 commits per sync in EventBench, measured and rejected.)
   */
  private void lead() {
    syncing = true;
    if (gather()) {
      syncAsLeader();
    }
  }

  /**
   * Syncs every commit written so far, the lock released meanwhile, and ends the sync ({@code
   * syncing}, set by the caller or the leader it took over from, goes false). Called holding the
   * lock; wakes the followers, and a leader whose gathering was taken over if it still sleeps.
   */
  private void syncAsLeader() {
    long target = written;
    lock.unlock();
    try {
      syncUpTo(target);
    } finally {
      lock.lock();
      syncing = false;
      arrivals.signalAll();
      progress.signalAll();
    }
  }

  /**
   * Waits, holding the lock between waits, until as many committers wait for an uncovered version
   * as the last sync's end saw waiting, or half the recent sync time passed (at most {@link
   * #MAX_GATHER_NANOS}, halved for each gather in a row that ran out of time); returns at once
   * when stopping. Returns whether the caller syncs now: false when the arrival that completed
   * the population took the sync over (it runs it and ends it; the caller waits as a follower).
   */
  private boolean gather() {
    if (uncovered() >= population) {
      gatherMisses = 0; // the estimate held
      return true;
    }
    if (stopping) {
      return true;
    }
    long left = Math.min(maxGatherNanos, syncNanos / 2) >> gatherMisses;
    long id = ++gatherSeq;
    gathering = true;
    gathers++;
    try {
      while (uncovered() < population && left > 0 && !stopping && takenOver < id) {
        left = arrivals.awaitNanos(left);
        if (left > 0) {
          gatherWakeUps++;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // keep the flag; the commit is applied, sync it now
    } finally {
      if (takenOver < id) {
        gathering = false;
      }
    }
    if (takenOver >= id) {
      gatherMisses = 0; // the estimate held; the arrival that met it syncs
      return false;
    }
    if (uncovered() < population) {
      gatherTimeouts++;
      gatherMisses = Math.min(6, gatherMisses + 1);
    } else {
      gatherMisses = 0;
    }
    return true;
  }

  /** Adds {@code version} to the sorted waiting versions. Called holding the lock. */
  private void addWaiting(long version) {
    if (waiting == waitingVersions.length) {
      waitingVersions = java.util.Arrays.copyOf(waitingVersions, waiting * 2);
    }
    int i = waiting;
    while (i > 0 && waitingVersions[i - 1] > version) {
      waitingVersions[i] = waitingVersions[i - 1];
      i--;
    }
    waitingVersions[i] = version;
    waiting++;
  }

  /** Removes one occurrence of {@code version} from the waiting versions. Called holding the lock. */
  private void removeWaiting(long version) {
    int i = waiting - 1;
    while (waitingVersions[i] != version) {
      i--;
    }
    System.arraycopy(waitingVersions, i + 1, waitingVersions, i, waiting - 1 - i);
    waiting--;
  }

  /** Waiting threads whose version no sync has covered yet. Called holding the lock. */
  private int uncovered() {
    int n = 0;
    for (int i = waiting - 1; i >= 0 && waitingVersions[i] > durable; i--) {
      n++;
    }
    return n;
  }

  /** Threads waiting for a sync now, the leader included (for tests). */
  int waitingCount() {
    lock.lock();
    try {
      return waiting;
    } finally {
      lock.unlock();
    }
  }

  /** {gathers that waited, of which ran out of time} (for tests and metrics). */
  long[] gatherCounts() {
    lock.lock();
    try {
      return new long[] {gathers, gatherTimeouts};
    } finally {
      lock.unlock();
    }
  }

  /** Syncs run by the arrival that completed a gathering leader's population (for tests). */
  long takeovers() {
    lock.lock();
    try {
      return takeovers;
    } finally {
      lock.unlock();
    }
  }

  /** Times a gathering leader was woken before its bound ran out (for tests). */
  long gatherWakeUps() {
    lock.lock();
    try {
      return gatherWakeUps;
    } finally {
      lock.unlock();
    }
  }

  /** Whether a gathering leader is asleep waiting for arrivals now (for tests). */
  boolean gathererAsleep() {
    lock.lock();
    try {
      return gathering && lock.hasWaiters(arrivals);
    } finally {
      lock.unlock();
    }
  }

  /** Number of syncs done so far (for tests and metrics). */
  long syncCount() {
    lock.lock();
    try {
      return syncs;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops: the periodic thread after any sync already requested (waits for it); in group mode
   * waits for a sync in progress, and later waiters that are not covered fail. Idempotent.
   */
  void stop() {
    lock.lock();
    try {
      stopping = true;
      work.signalAll();
      arrivals.signalAll();
      if (thread == null) {
        while (syncing) {
          progress.awaitUninterruptibly();
        }
        stopped = true;
        progress.signalAll();
        return;
      }
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The periodic thread's loop. */
  private void run() {
    try {
      while (true) {
        long target;
        lock.lock();
        try {
          waitInterval();
          target = written;
          if (target <= durable) {
            if (stopping) {
              return;
            }
            continue;
          }
        } finally {
          lock.unlock();
        }
        if (syncUpTo(target)) {
          return;
        }
      }
    } finally {
      lock.lock();
      try {
        stopped = true;
        progress.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void waitInterval() {
    long deadline = System.nanoTime() + intervalNanos;
    while (!stopping) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        work.awaitNanos(left);
      } catch (InterruptedException e) {
        // Only stop() ends this thread.
      }
    }
  }

  /**
   * Syncs and publishes the outcome (called without the lock); returns whether the syncer is
   * stopping.
   */
  private boolean syncUpTo(long target) {
    RocksDBException error = null;
    long started = clock.getAsLong();
    try {
      if (hooks != null) {
        target = Math.max(target, hooks.prepare());
      }
      action.sync();
    } catch (RocksDBException e) {
      error = e;
      log.error("syncing the RocksDB write-ahead log failed (path={}, upToVersion={})", path, target, e);
    } catch (RuntimeException e) {
      error = new RocksDBException("preparing the write-ahead log sync failed: " + e);
      log.error("preparing the RocksDB write-ahead log sync failed (path={})", path, e);
    }
    if (hooks != null) {
      try {
        if (error == null) {
          hooks.synced();
        } else {
          hooks.failed();
        }
      } catch (RuntimeException e) {
        log.error("publishing a RocksDB write-ahead log sync failed (path={})", path, e);
      }
    }
    long took = clock.getAsLong() - started;
    lock.lock();
    try {
      syncs++;
      syncNanos = syncs == 1 ? took : (syncNanos * 7 + took) / 8;
      int now = Math.max(1, waiting);
      population = Math.min(now, lastWaiting);
      lastWaiting = now;
      if (error == null) {
        durable = Math.max(durable, target);
      } else {
        failure = error;
        failedUpTo = Math.max(failedUpTo, target);
      }
      progress.signalAll();
      return stopping;
    } finally {
      lock.unlock();
    }
  }
}
