package io.tito.internal.pubsub;

import io.tito.spi.Engine;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups of idle workers, one instance per engine (shared by every {@code Topics} on it). A
 * local commit that publishes signals the partitions it touched after commit; commits in other
 * processes arrive through {@link Engine#listen} on {@link #CHANNEL} and wake every topic. Waiting
 * uses a lock and condition (not monitors) so virtual threads do not pin their carrier.
 * Thread-safe.
 */
public final class Signals {

  /** Engine notification channel of pub/sub commits. */
  public static final String CHANNEL = "tito_pubsub";

  private static final Logger log = LoggerFactory.getLogger(Signals.class);
  private static final Map<Engine, Signals> BY_ENGINE = new WeakHashMap<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, Long> generations = new ConcurrentHashMap<>();
  private long global;
  private volatile boolean listening;

  private Signals() {}

  /** The instance of {@code engine}; it holds no reference to the engine, so both can be collected. */
  public static Signals of(Engine engine) {
    synchronized (BY_ENGINE) {
      return BY_ENGINE.computeIfAbsent(engine, e -> new Signals());
    }
  }

  /** Subscribes to cross-process notifications of {@code engine} once (on its first worker). */
  void listen(Engine engine) {
    if (listening) {
      return;
    }
    synchronized (this) {
      if (listening) {
        return;
      }
      try {
        engine.listen(CHANNEL, this::wakeAll);
      } catch (RuntimeException e) {
        log.warn("engine notifications unavailable; polling only", e);
      }
      listening = true;
    }
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
   * after {@code token} was taken, or {@code millis} pass.
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
      generations.merge(counter, 1L, Long::sum);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public void wakeAll() {
    lock.lock();
    try {
      global++;
      changed.signalAll();
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
    lock.lock();
    try {
      while (nanos > 0 && current(topic, partitionKey) == token) {
        nanos = changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }
}
