package io.tito.events;

import io.tito.Tito;
import io.tito.Transaction;
import io.tito.internal.pubsub.Signals;
import io.tito.spi.Capability;
import io.tito.tuple.Tuple;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups of the event store's consumers after appends. Consumers in this process are woken at
 * once after every commit. Consumers in other processes hear of appends through the engine's
 * notification channel, coalesced: at most one append commit per {@code interval} carries a
 * notification (the first one after the interval passed); the commits in between only record
 * that they owe one. A notification covers every commit that finished before the notifying
 * commit was decided on (a reader woken by it reads them all), so an owed commit is settled by the
 * next notifying commit; if none comes (the appends stopped), a timer sends one in a small
 * transaction of its own once no append asked for five intervals (while appends go on, each
 * interval brings a notifying commit, so no extra transaction competes with them). Interval zero: every append commit
 * notifies. On engines without cross-process notifications ({@link Capability#MULTI_PROCESS} and
 * {@link Capability#CHANGE_NOTIFICATIONS}) only the local wake-up is done. Thread-safe.
 */
final class WakeUps {

  private static final Logger log = LoggerFactory.getLogger(WakeUps.class);
  private static final ScheduledThreadPoolExecutor TIMER = timer();
  private static final int QUIET_INTERVALS = 5;

  private final Tito tito;
  private final String topic;
  private final long intervalNanos;
  private final byte[] wakeKey;
  /** Whether other processes can hear of commits (multi-process engine with notifications). */
  private final boolean crossProcess;
  /** The engine's wake-up signals (looked up once: the lookup takes a global lock). */
  private final Signals signals;
  private final ReentrantLock lock = new ReentrantLock();
  /** When the last notifying commit was decided on; guarded by lock. */
  private long lastDecision;
  private boolean decided;
  /** When the last append commit asked for a wake-up (notifying or not); guarded by lock. */
  private long lastCall;
  /** Commits that finished without a notification (a counter); guarded by lock. */
  private long owed;
  /** The highest {@link #owed} count a notifying commit covers; guarded by lock. */
  private long covered;
  private boolean timerArmed;

  /**
   * @param interval nanoseconds between notifications (0: every commit)
   * @param wakeKey the key a notification of its own writes (a transaction needs a write to commit)
   */
  WakeUps(Tito tito, String topic, long intervalNanos, byte[] wakeKey) {
    this.tito = tito;
    this.topic = topic;
    this.intervalNanos = intervalNanos;
    this.wakeKey = wakeKey.clone();
    var caps = tito.engine().capabilities();
    this.crossProcess = caps.contains(Capability.MULTI_PROCESS) && caps.contains(Capability.CHANGE_NOTIFICATIONS);
    this.signals = Signals.of(tito.engine());
  }

  /** Wakes the consumers of this process after {@code tx} commits, and those of others as described. */
  void onCommit(Transaction tx) {
    if (intervalNanos == 0) {
      signals.wakeOnCommit(tx, topic, 0);
      return;
    }
    tx.afterCommit(() -> signals.wake(topic, 0));
    if (!crossProcess) {
      return;
    }
    long now = System.nanoTime();
    long snapshot;
    lock.lock();
    try {
      lastCall = now;
      if (decided && now - lastDecision < intervalNanos) {
        snapshot = -1;
      } else {
        decided = true;
        lastDecision = now;
        snapshot = owed;
      }
    } finally {
      lock.unlock();
    }
    if (snapshot >= 0) {
      tx.notifyOnCommit(Signals.CHANNEL, topicPayload());
      tx.afterCommit(() -> covered(snapshot));
    } else {
      tx.afterCommit(this::owe);
    }
  }

  private String topicPayload() {
    return "0:" + topic; // Signals' payload of partition 0 of the topic
  }

  private void covered(long upTo) {
    lock.lock();
    try {
      covered = Math.max(covered, upTo);
    } finally {
      lock.unlock();
    }
  }

  private void owe() {
    lock.lock();
    try {
      owed++;
      armTimer(intervalNanos);
    } finally {
      lock.unlock();
    }
  }

  /**
   * How long no append may have asked for a wake-up before the timer sends one of its own: five
   * intervals (on a loaded machine appends that go on often pause longer than one interval, and
   * each notification of its own is a commit competing with them).
   */
  private long quietNanos() {
    return QUIET_INTERVALS * intervalNanos;
  }

  /** Schedules the check unless one is scheduled; under the lock. */
  private void armTimer(long delayNanos) {
    if (!timerArmed) {
      timerArmed = true;
      TIMER.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The timer: sends a notification for owed commits unless a recent notifying commit will cover them. */
  private void check() {
    long target;
    lock.lock();
    try {
      timerArmed = false;
      if (owed <= covered) {
        return;
      }
      long since = System.nanoTime() - lastCall;
      if (since < quietNanos()) {
        // Appends go on: one of them will notify (decisions come every interval while they do),
        // covering these. Only once they stop is a notification of its own worth its commit.
        armTimer(quietNanos() - since);
        return;
      }
      target = owed;
    } finally {
      lock.unlock();
    }
    try {
      tito.inTransaction(tx -> {
        byte[] v = tx.get(wakeKey);
        tx.set(wakeKey, Tuple.of((v == null ? 0 : Tuple.unpack(v).getLong(0)) + 1).pack());
        tx.notifyOnCommit(Signals.CHANNEL, topicPayload());
      });
      covered(target);
    } catch (io.tito.ClosedException e) {
      log.debug("store closed; no more wake-ups", e);
    } catch (RuntimeException e) {
      log.warn("could not send an event-store wake-up; other processes find the appends at their next poll", e);
      lock.lock();
      try {
        armTimer(intervalNanos);
      } finally {
        lock.unlock();
      }
    }
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "tito-events-wakeups");
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
