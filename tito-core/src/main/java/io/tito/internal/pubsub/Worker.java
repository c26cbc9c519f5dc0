package io.tito.internal.pubsub;

import io.tito.ClosedException;
import io.tito.Transaction;
import io.tito.internal.Lifecycle;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a group: owns its partition runners, its coordinator and retention threads and
 * its stop flags. Its coordinator thread runs the {@link Membership} heartbeat, passes what it
 * found to the runners' {@link PartitionLease}s (renewed or lost), asks runners of partitions no
 * longer assigned to finish their current event and release, and starts a {@link PartitionRunner}
 * on every assigned partition whose lease it could take. Thread-safe.
 */
public final class Worker implements Subscription, Lifecycle.Service {

  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  final Context ctx;
  final Publisher publisher;
  final DeadLetters deadLetters;
  final Groups groups;
  final String topic;
  final String group;
  final SubscribeOptions options;
  final Invoker invoker;
  final Semaphore permits;
  /** The log consumed instead of the topic's, or null (see {@link LogReader}). */
  final LogReader logReader;
  private final String id = UUID.randomUUID().toString();
  private final int partitions;
  private final Map<Integer, PartitionRunner> runners = new ConcurrentHashMap<>();
  private final Signals own;
  private final Membership membership;
  private final Thread coordinator;
  private final Thread retention;
  /** Reads the idle partitions once per fallback interval, after a heartbeat. */
  private final FallbackPoll fallback;
  private volatile boolean stopping;
  private volatile boolean aborting;
  private volatile boolean crashed;
  private final AtomicBoolean closed = new AtomicBoolean();

  Worker(Context ctx, Publisher publisher, DeadLetters deadLetters, Groups groups, String topic,
      String group, TopicConfig config, SubscribeOptions options, Invoker invoker, LogReader log) {
    this.ctx = ctx;
    this.logReader = log;
    this.publisher = publisher;
    this.deadLetters = deadLetters;
    this.groups = groups;
    this.topic = topic;
    this.group = group;
    this.options = options;
    this.invoker = invoker;
    this.partitions = config.partitions();
    this.permits = new Semaphore(options.concurrency());
    this.own = ctx.signals;
    this.membership = new Membership(ctx, topic, group, id, options);
    this.fallback = new FallbackPoll(this, runners);
    ctx.signals.listen(ctx.tito.engine());
    this.coordinator = Thread.ofVirtual().name("tito-worker-" + topic + "-" + group).unstarted(this::coordinate);
    this.retention = Thread.ofVirtual().name("tito-retention-" + topic + "-" + group)
        .unstarted(new RetentionTask(this, signalName()));
  }

  /** Starts the worker as a service of the store, which stops it before closing the engine. */
  void start() {
    Lifecycle.of(ctx.tito).register(this);
    coordinator.start();
    retention.start();
  }

  @Override
  public boolean stop(Duration timeout) {
    return close(timeout == null ? options.shutdownTimeout() : timeout);
  }

  boolean stopping() {
    return stopping;
  }

  boolean aborting() {
    return aborting;
  }

  boolean crashed() {
    return crashed;
  }

  @Override
  public String workerId() {
    return id;
  }

  @Override
  public Set<Integer> ownedPartitions() {
    return Collections.unmodifiableSet(new TreeSet<>(runners.keySet()));
  }

  private String signalName() {
    return "\0worker:" + id;
  }

  private void coordinate() {
    io.tito.spi.SystemTransactions.markCurrentThread(); // heartbeats must not wait behind handlers
    try {
      while (!crashed && (!stopping || !runners.isEmpty())) {
        long token = own.generation(signalName());
        try {
          heartbeat();
          fallback.tick();
        } catch (ClosedException e) {
          break;
        } catch (RuntimeException e) {
          if (crashed) {
            break;
          }
          log.warn("heartbeat failed {} {}", topic, group, e);
        }
        own.await(signalName(), token, options.heartbeatInterval().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (!crashed) {
        membership.leave();
      }
    }
  }

  private void heartbeat() {
    long now = ctx.nowMillis();
    long expiry = now + options.leaseTimeout().toMillis();
    List<PartitionLease> leases = new ArrayList<>();
    for (PartitionRunner r : runners.values()) {
      leases.add(r.lease());
    }
    Membership.Beat beat = membership.heartbeat(leases, stopping, now);
    beat.held().forEach(PartitionLease::renewed);
    beat.lost().forEach(PartitionLease::markLost);
    if (!beat.lost().isEmpty()) {
      ctx.signals.wake(topic);
    }
    if (stopping) {
      return;
    }
    boolean released = false;
    for (PartitionRunner r : runners.values()) {
      if (!membership.assigned(beat.live(), r.partition())) {
        r.lease().askRelease();
        released = true;
      }
    }
    if (released) {
      ctx.signals.wake(topic);
    }
    for (int p = 0; p < partitions; p++) {
      if (membership.assigned(beat.live(), p) && !runners.containsKey(p) && !stopping) {
        PartitionLease lease = membership.acquire(p, expiry);
        if (lease != null) {
          PartitionRunner r = PartitionRunner.of(this, lease);
          runners.put(p, r);
          r.start();
        }
      }
    }
  }

  /**
   * Hands a partition from a runner whose handler timed out to a fresh runner of the same lease
   * (the old one stops once its handler returns). False if the worker is stopping or no longer
   * runs that runner.
   */
  boolean replace(PartitionRunner old, PartitionRunner fresh) {
    if (stopping || !runners.replace(old.partition(), old, fresh)) {
      return false;
    }
    fresh.start();
    return true;
  }

  /** Runs a transaction that writes a runner's progress; refuses once the worker crashed. */
  void commit(Consumer<Transaction> work) {
    if (crashed) {
      throw new ClosedException("worker crashed", Map.of());
    }
    ctx.tito.inTransaction(work::accept);
  }

  /** Called by a runner's thread when it ends. */
  void exited(PartitionRunner r) {
    runners.remove(r.partition(), r);
    own.wake(signalName());
  }

  @Override
  public boolean close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return true;
    }
    stopping = true;
    ctx.signals.wake(topic);
    own.wake(signalName());
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean clean = join(coordinator, deadline) & join(retention, deadline);
    if (!clean) {
      aborting = true;
      retention.interrupt();
      runners.values().forEach(PartitionRunner::interrupt);
      coordinator.interrupt();
      join(coordinator, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }
    Lifecycle.of(ctx.tito).unregister(this);
    return clean;
  }

  @Override
  public void close() {
    close(options.shutdownTimeout());
  }

  /**
   * Simulates a process crash, for tests: stops every thread without committing, releasing leases
   * or leaving the group, so the partitions move only once the leases expire.
   */
  public void crash() {
    crashed = true;
    closed.set(true);
    stopping = true;
    aborting = true;
    coordinator.interrupt();
    retention.interrupt();
    runners.values().forEach(PartitionRunner::interrupt);
    join(coordinator, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    for (PartitionRunner r : new ArrayList<>(runners.values())) {
      r.interrupt(); // again: the coordinator may have started it while the first round ran
      r.join(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    }
    Lifecycle.of(ctx.tito).unregister(this);
  }

  static boolean join(Thread t, long deadlineNanos) {
    try {
      long left = deadlineNanos - System.nanoTime();
      return left > 0 && t.join(Duration.ofNanos(left)) || !t.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !t.isAlive();
    }
  }

  @Override
  public String toString() {
    return "Worker[topic=" + topic + " group=" + group + " id=" + id + "]";
  }
}
