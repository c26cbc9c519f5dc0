package io.tito.internal.pubsub;

import io.tito.Transaction;
import io.tito.spi.Capability;
import io.tito.spi.ChangeListener;
import io.tito.spi.Engine;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups of idle workers, one instance per engine (shared by every {@code Topics} on it). A
 * local commit that publishes signals the partitions it touched after commit; commits in other
 * processes arrive through {@link Engine#listen} on {@link #CHANNEL} with the topic and partition
 * as payload ({@link #payload}) and wake that partition only (everything if the payload is
 * unknown). Waiting uses a lock and conditions (not monitors) so virtual threads do not pin their
 * carrier. Each watched name (a partition, a topic, a worker) has its own condition, created while
 * someone waits on it: a wake-up signals only the waiters it concerns (a partition's, or all of a
 * topic's, or everyone's), and a timed-out wait unlinks itself from a short list, not from the
 * list of every idle runner of the engine.
 *
 * <p>Wake-ups are <em>complete</em> ({@link #complete()}) when no commit can go unnoticed: on an
 * engine used by this process only (no {@link Capability#MULTI_PROCESS}), or while the engine
 * reports its notifications healthy. Idle partition runners then wait for a wake-up without a
 * timeout, and each worker reads all its partitions once every {@link #FALLBACK_POLL_MILLIS} as
 * the fallback of truth ({@link FallbackPoll}); otherwise idle runners poll at their poll
 * interval. Thread-safe.
 */
public final class Signals {

  /** Engine notification channel of pub/sub commits. */
  public static final String CHANNEL = "tito_pubsub";

  /**
   * How often a worker looks for work in its idle partitions while wake-ups are complete
   * (jittered by up to a tenth, at least the poll interval): 60 s. It only catches what a lost
   * notification would hide.
   */
  public static final long FALLBACK_POLL_MILLIS = 60_000;

  /**
   * A wait in milliseconds meaning "until woken": an untimed wait, which costs no timer (an idle
   * runner's while wake-ups are complete).
   */
  static final long UNTIL_WOKEN = Long.MAX_VALUE;

  private static final Logger log = LoggerFactory.getLogger(Signals.class);
  private static final Map<Engine, Signals> BY_ENGINE = new WeakHashMap<>();
  private static final ReentrantLock BY_ENGINE_LOCK = new ReentrantLock();

  private final ReentrantLock lock = new ReentrantLock();
  /** Held while subscribing to the engine's notifications (a blocking call), once. */
  private final ReentrantLock listenLock = new ReentrantLock();
  /** Waiters by watched name (a partition key, a topic, a worker's name); guarded by the lock. */
  private final Map<String, Waiters> waiters = new HashMap<>();
  /** Partition keys with waiters, by topic, so a topic's wake-up reaches them; guarded by the lock. */
  private final Map<String, Set<String>> partitionKeysByTopic = new HashMap<>();
  /** How many times a waiter returned from its condition: for tests. */
  private final AtomicLong conditionReturns = new AtomicLong();
  private final Map<String, Long> generations = new ConcurrentHashMap<>();
  /** Per partition key, how many of its wake-ups were hand-offs ({@link #handOffOnCommit}); guarded by the lock. */
  private final Map<String, Long> handOffCounts = new HashMap<>();
  /** Recent local publishes of partitions that a local runner follows; guarded by the lock. */
  private final Map<String, HandOffs> handOffs = new HashMap<>();
  /**
   * Bytes of events kept in all {@link HandOffs} of this engine together, at most: past it a
   * publish's event is not kept (its runner fetches it). 16 MiB.
   */
  static final long MAX_KEPT_BYTES = 16L << 20;
  /** Bytes kept in {@link #handOffs} now; guarded by the lock. */
  private long keptBytes;
  private long global;
  private volatile boolean listening;
  /** The engine is used by this process only: every commit wakes its partitions here. */
  private volatile boolean local;
  /** The engine reported that its notifications arrive. */
  private volatile boolean notified;

  private Signals() {}

  /** The condition of one watched name and how many wait on it now. */
  private static final class Waiters {
    final Condition condition;
    int count;

    Waiters(Condition condition) {
      this.condition = condition;
    }
  }

  /** The instance of {@code engine}; it holds no reference to the engine, so both can be collected. */
  public static Signals of(Engine engine) {
    BY_ENGINE_LOCK.lock();
    try {
      return BY_ENGINE.computeIfAbsent(engine, e -> new Signals());
    } finally {
      BY_ENGINE_LOCK.unlock();
    }
  }

  /** Subscribes to cross-process notifications of {@code engine} once (on its first worker). */
  void listen(Engine engine) {
    if (listening) {
      return;
    }
    listenLock.lock();
    try {
      if (listening) {
        return;
      }
      local = !engine.capabilities().contains(Capability.MULTI_PROCESS);
      try {
        engine.listen(CHANNEL, new ChangeListener() {
          @Override
          public void changed(String payload) {
            wakeFor(payload);
          }

          @Override
          public void listening(boolean healthy) {
            notified = healthy;
            if (!healthy) {
              wakeAll(); // idle partitions go back to polling at their poll interval
            }
          }
        });
      } catch (RuntimeException e) {
        log.warn("engine notifications unavailable; polling only", e);
      }
      listening = true;
    } finally {
      listenLock.unlock();
    }
  }

  /** Whether no commit can go unnoticed now (see the class comment). */
  public boolean complete() {
    return local || notified;
  }

  /**
   * How long an idle partition waits for a wake-up: {@code pollInterval} unless complete, else
   * {@link #UNTIL_WOKEN} (its worker's {@link FallbackPoll} looks for what a lost wake-up hides).
   */
  long idleWaitMillis(long pollIntervalMillis) {
    return complete() ? UNTIL_WOKEN : pollIntervalMillis;
  }

  /** The time to the next fallback read: {@link #FALLBACK_POLL_MILLIS}, jittered by a tenth. */
  static long fallbackPollMillis(long pollIntervalMillis) {
    long fallback = Math.max(pollIntervalMillis, FALLBACK_POLL_MILLIS);
    return fallback - java.util.concurrent.ThreadLocalRandom.current().nextLong(fallback / 10 + 1);
  }

  /**
   * Wakes the partition's workers once {@code tx} commits: those of this process after commit,
   * those of other processes through an engine notification.
   */
  public void wakeOnCommit(Transaction tx, String topic, int partition) {
    PartitionNames n = names(topic, partition);
    tx.afterCommit(n.wake);
    tx.notifyOnCommit(CHANNEL, n.payload);
  }

  /**
   * Like {@link #wakeOnCommit}, for a commit that appended {@code event} to the partition's log at
   * the position {@code position} gives once committed: the wake-up after commit also keeps the
   * event for the partition's local runners ({@link #takeHandOffs}), and counts as a hand-off
   * rather than as other news.
   */
  public void handOffOnCommit(Transaction tx, String topic, int partition, LongSupplier position,
      byte[] event) {
    PartitionNames n = names(topic, partition);
    tx.afterCommit(() -> {
      long at;
      try {
        at = position.getAsLong();
      } catch (RuntimeException e) {
        bump(n.key); // woken all the same: the runner fetches
        throw e;
      }
      handOff(n.key, at, event);
    });
    tx.notifyOnCommit(CHANNEL, n.payload);
  }

  private void handOff(String key, long position, byte[] event) {
    lock.lock();
    try {
      handOffCounts.merge(key, 1L, Long::sum);
      HandOffs h = handOffs.get(key);
      if (h != null) {
        if (keptBytes + event.length > MAX_KEPT_BYTES) {
          h.drop(position);
        } else {
          keptBytes += h.add(position, event);
        }
      }
      bumpLocked(key);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A partition's wake-up generation ({@link #generation(String, int)}) and how much of it is
   * other news than hand-offs: wake-ups of the partition that were not a local publish's, of its
   * topic and of everything. Read together, under one lock.
   */
  record Mark(long generation, long others) {}

  /** The partition's {@link Mark} now. */
  Mark mark(String topic, int partition) {
    String key = partitionKey(topic, partition);
    lock.lock();
    try {
      return markLocked(topic, key);
    } finally {
      lock.unlock();
    }
  }

  private Mark markLocked(String topic, String key) {
    long g = current(topic, key);
    return new Mark(g, g - handOffCounts.getOrDefault(key, 0L));
  }

  /** A local runner starts following the partition: its publishes are kept from now on. */
  void follow(String topic, int partition) {
    lock.lock();
    try {
      handOffs.computeIfAbsent(partitionKey(topic, partition), k -> new HandOffs()).followers++;
    } finally {
      lock.unlock();
    }
  }

  /** A local runner stopped following the partition; its kept events go with the last one. */
  void unfollow(String topic, int partition) {
    String key = partitionKey(topic, partition);
    lock.lock();
    try {
      HandOffs h = handOffs.get(key);
      if (h != null && --h.followers == 0) {
        handOffs.remove(key);
        keptBytes -= h.bytes();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * What {@link #takeHandOffs} found: the events at the positions asked for, in order; the
   * partition's mark when they were taken; whether a later event was kept past a gap; whether the
   * event at the gap was never dropped (so a hand-off of it is still to come if a local commit
   * appended it).
   */
  record Taken(List<byte[]> events, Mark mark, boolean more, boolean gapNeverDropped) {}

  /**
   * The events local commits published to the partition at positions {@code from}, {@code from +
   * 1}, ... (at most {@code max}), if the partition had no other news than hand-offs since a mark
   * whose {@link Mark#others()} was {@code others}; else null. Positions are dense and each is
   * given once, by a commit, so a committed event kept at a position is the log's entry there.
   */
  Taken takeHandOffs(String topic, int partition, long from, long others, int max) {
    String key = partitionKey(topic, partition);
    lock.lock();
    try {
      Mark m = markLocked(topic, key);
      HandOffs h = handOffs.get(key);
      if (m.others() != others || h == null) {
        return null;
      }
      boolean[] more = new boolean[1];
      long[] freed = new long[1];
      List<byte[]> events = h.from(from, max, more, freed);
      keptBytes += freed[0];
      return new Taken(events, m, more[0], h.neverDropped(from + events.size()));
    } finally {
      lock.unlock();
    }
  }

  /**
   * A partition's watched name, notification payload and wake-up action, made once: every
   * publish needs them.
   */
  private record PartitionNames(String key, String payload, Runnable wake) {}

  /** Per topic, the names of its partitions by number (grown on demand; null where not made). */
  private final Map<String, PartitionNames[]> partitionNames = new ConcurrentHashMap<>();

  private PartitionNames names(String topic, int partition) {
    PartitionNames[] byPartition = partitionNames.get(topic);
    PartitionNames n = byPartition != null && partition < byPartition.length
        ? byPartition[partition] : null;
    if (n != null) {
      return n;
    }
    String key = partitionKey(topic, partition);
    n = new PartitionNames(key, payload(topic, partition), () -> bump(key));
    // Racing publishers may each install a copy; a lost one is only made again.
    PartitionNames[] grown = byPartition == null ? new PartitionNames[partition + 1]
        : java.util.Arrays.copyOf(byPartition, Math.max(byPartition.length, partition + 1));
    grown[partition] = n;
    partitionNames.put(topic, grown);
    return n;
  }

  /** The notification payload naming a partition: {@code "<partition>:<topic>"}. */
  static String payload(String topic, int partition) {
    return partition + ":" + topic;
  }

  private void wakeFor(String payload) {
    int colon = payload == null ? -1 : payload.indexOf(':');
    if (colon > 0) {
      try {
        wake(payload.substring(colon + 1), Integer.parseInt(payload, 0, colon, 10));
        return;
      } catch (NumberFormatException e) {
        // not ours: wake everything
      }
    }
    wakeAll();
  }

  /** A token to pass to {@link #await}: taken before looking for work. */
  public long generation(String topic) {
    return generationOf(topic, null);
  }

  /** A token for one partition: changes when the partition, its topic or everything is woken. */
  public long generation(String topic, int partition) {
    return generationOf(topic, partitionKey(topic, partition));
  }

  private long generationOf(String topic, String partitionKey) {
    lock.lock();
    try {
      return current(topic, partitionKey);
    } finally {
      lock.unlock();
    }
  }

  /** The sum of the counters a waiter on {@code topic} (and a partition key) watches; locked. */
  private long current(String topic, String partitionKey) {
    long g = global + generations.getOrDefault(topic, 0L);
    return partitionKey == null ? g : g + generations.getOrDefault(partitionKey, 0L);
  }

  /** Wakes the workers of one partition (a commit appended to it or scheduled in it). */
  public void wake(String topic, int partition) {
    bump(partitionKey(topic, partition));
  }

  /**
   * Waits until {@code partition} of {@code topic} (or the topic, or everything) is signalled
   * after {@code token} was taken, or {@code millis} pass ({@link #UNTIL_WOKEN}: no time limit).
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void await(String topic, int partition, long token, long millis)
      throws InterruptedException {
    awaitChange(topic, partitionKey(topic, partition), token, millis);
  }

  private static String partitionKey(String topic, int partition) {
    return topic + '\u0000' + partition;
  }

  /** Wakes every worker of {@code topic}. */
  public void wake(String topic) {
    bump(topic);
  }

  private void bump(String counter) {
    lock.lock();
    try {
      bumpLocked(counter);
    } finally {
      lock.unlock();
    }
  }

  private void bumpLocked(String counter) {
    generations.merge(counter, 1L, Long::sum);
    signal(counter);
    Set<String> partitionKeys = partitionKeysByTopic.get(counter);
    if (partitionKeys != null) { // a topic's wake-up: every partition of it
      for (String key : partitionKeys) {
        signal(key);
      }
    }
  }

  private void signal(String name) {
    Waiters w = waiters.get(name);
    if (w != null) {
      w.condition.signalAll();
    }
  }

  public void wakeAll() {
    lock.lock();
    try {
      global++;
      for (Waiters w : waiters.values()) {
        w.condition.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code topic} is signalled after {@code token} was taken, or {@code millis} pass.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void await(String topic, long token, long millis) throws InterruptedException {
    awaitChange(topic, null, token, millis);
  }

  private void awaitChange(String topic, String partitionKey, long token, long millis)
      throws InterruptedException {
    long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
    String name = partitionKey == null ? topic : partitionKey;
    lock.lock();
    try {
      if (nanos <= 0 || current(topic, partitionKey) != token) {
        return;
      }
      Waiters w = waiters.computeIfAbsent(name, n -> new Waiters(lock.newCondition()));
      if (w.count++ == 0 && partitionKey != null) {
        partitionKeysByTopic.computeIfAbsent(topic, t -> new HashSet<>()).add(partitionKey);
      }
      try {
        while (nanos > 0 && current(topic, partitionKey) == token) {
          if (millis == UNTIL_WOKEN) {
            w.condition.await();
          } else {
            nanos = w.condition.awaitNanos(nanos);
          }
          conditionReturns.incrementAndGet();
        }
      } finally {
        if (--w.count == 0) {
          waiters.remove(name);
          if (partitionKey != null) {
            Set<String> keys = partitionKeysByTopic.get(topic);
            keys.remove(partitionKey);
            if (keys.isEmpty()) {
              partitionKeysByTopic.remove(topic);
            }
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many times a waiter returned from its condition (woken or timed out), in total: for tests. */
  long conditionReturns() {
    return conditionReturns.get();
  }

  /** Bytes kept for hand-overs now: for tests. */
  long keptBytes() {
    lock.lock();
    try {
      return keptBytes;
    } finally {
      lock.unlock();
    }
  }

  /** Whether someone waits on {@code partition} of {@code topic} now (not woken since): for tests. */
  boolean waiting(String topic, int partition) {
    lock.lock();
    try {
      Waiters w = waiters.get(partitionKey(topic, partition));
      return w != null && lock.hasWaiters(w.condition);
    } finally {
      lock.unlock();
    }
  }
}
