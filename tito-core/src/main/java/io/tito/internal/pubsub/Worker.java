package io.tito.internal.pubsub;

import io.tito.ClosedException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.internal.Lifecycle;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.tuple.Tuple;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a group. Its coordinator thread heartbeats membership, renews the leases of its
 * partitions, computes the assignment (live members sorted by id; partition p goes to member
 * {@code p % n}), takes assigned partitions whose lease is free or expired, and asks runners of
 * partitions no longer assigned to finish their current event and release. Thread-safe.
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
  private final String id = UUID.randomUUID().toString();
  private final int partitions;
  private final Map<Integer, PartitionRunner> runners = new ConcurrentHashMap<>();
  private final Signals own;
  private final Thread coordinator;
  private final Thread retention;
  /** Reads the idle partitions once per fallback interval, after a heartbeat. */
  private final FallbackPoll fallback;
  private volatile boolean stopping;
  private volatile boolean aborting;
  private volatile boolean crashed;
  private volatile boolean closed;

  Worker(Context ctx, Publisher publisher, DeadLetters deadLetters, Groups groups, String topic,
      String group, TopicConfig config, SubscribeOptions options, Invoker invoker) {
    this.ctx = ctx;
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
        leave();
      }
    }
  }

  /** What a heartbeat found: live members, the lease expiry of runners still holding theirs, runners that lost it. */
  private record Beat(List<String> live, Map<PartitionRunner, Long> held, List<PartitionRunner> lost) {}

  private void heartbeat() {
    long now = ctx.nowMillis();
    long expiry = now + options.leaseTimeout().toMillis();
    // Leases are read (and renewed) only once renewal is due: until then nobody else can take
    // them, as a lease is taken only when free or expired; commits are fenced in any case.
    long renewBelowMillis = options.leaseTimeout().toMillis() / 2 + options.heartbeatInterval().toMillis();
    List<PartitionRunner> mine = new ArrayList<>();
    for (PartitionRunner r : runners.values()) {
      if (r.leaseExpiryMillis - now <= renewBelowMillis) {
        mine.add(r);
      }
    }
    // Memberships and leases are rewritten only once less than half their timeout plus a
    // heartbeat is left, not at every heartbeat: an idle worker's heartbeat then mostly reads.
    long renewBelow = renewBelowMillis;
    Beat beat = ctx.tito.transaction(tx -> {
      List<String> live = new ArrayList<>();
      boolean member = false;
      try (KeyValueCursor c = tx.scan(ctx.keys.membersRange(topic, group))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          String name = ctx.keys.memberName(kv.key());
          if (name.equals(id)) {
            member = Tuple.unpack(kv.value()).getLong(0) - now > renewBelow;
            continue;
          }
          if (Tuple.unpack(kv.value()).getLong(0) > now) {
            live.add(name);
          } else {
            tx.clear(kv.key());
          }
        }
      }
      if (!stopping) {
        if (!member) {
          tx.set(ctx.keys.member(topic, group, id), Tuple.of(expiry).pack());
        }
        live.add(id);
      }
      Collections.sort(live);
      Map<PartitionRunner, Long> held = new java.util.HashMap<>();
      List<PartitionRunner> lost = new ArrayList<>();
      List<byte[]> leaseKeys = new ArrayList<>();
      for (PartitionRunner r : mine) {
        leaseKeys.add(ctx.keys.lease(topic, group, r.partition));
      }
      List<byte[]> leases = leaseKeys.isEmpty() ? List.of() : tx.getAll(leaseKeys); // one round trip
      for (int i = 0; i < mine.size(); i++) {
        PartitionRunner r = mine.get(i);
        byte[] key = leaseKeys.get(i);
        Lease l = Lease.decode(leases.get(i));
        if (id.equals(l.owner()) && l.epoch() == r.epoch) {
          if (l.expiryMillis() - now <= renewBelow) {
            l = new Lease(id, r.epoch, expiry);
            tx.set(key, l.encode());
          }
          held.put(r, l.expiryMillis());
        } else {
          lost.add(r);
        }
      }
      return new Beat(live, held, lost);
    });
    beat.held.forEach((r, until) -> r.leaseExpiryMillis = until);
    for (PartitionRunner r : beat.lost) {
      r.lost = true;
    }
    if (!beat.lost.isEmpty()) {
      ctx.signals.wake(topic);
    }
    if (stopping) {
      return;
    }
    int index = beat.live.indexOf(id);
    int n = beat.live.size();
    boolean released = false;
    for (PartitionRunner r : runners.values()) {
      if (r.partition % n != index) {
        r.release = true;
        released = true;
      }
    }
    if (released) {
      ctx.signals.wake(topic);
    }
    for (int p = index; p < partitions; p += n) {
      if (!runners.containsKey(p) && !stopping) {
        tryAcquire(p, expiry);
      }
    }
  }

  private void tryAcquire(int p, long expiry) {
    long now = ctx.nowMillis();
    long epoch = ctx.tito.transaction(tx -> {
      byte[] leaseKey = ctx.keys.lease(topic, group, p);
      byte[] stateKey = ctx.keys.state(topic, group, p);
      Lease l = Lease.decode(tx.get(leaseKey));
      byte[] sv = tx.get(stateKey);
      if (sv == null || !(l.free(now) || id.equals(l.owner()))) {
        return -1L;
      }
      long next = l.epoch() + 1;
      tx.set(leaseKey, new Lease(id, next, expiry).encode());
      // Writing the state with the new epoch fences every transaction of the previous owner.
      tx.set(stateKey, GroupState.decode(sv).withEpoch(next).encode());
      return next;
    });
    if (epoch < 0) {
      return;
    }
    PartitionRunner r = new PartitionRunner(this, p, epoch, expiry);
    runners.put(p, r);
    r.thread = Thread.ofVirtual().name("tito-partition-" + topic + "-" + group + "-" + p).start(r);
    log.debug("acquired partition {} epoch {} {} {}", p, epoch, topic, group);
  }

  /**
   * Hands a partition from a runner whose handler timed out to a fresh runner of the same lease
   * (the old one stops once its handler returns). False if the worker is stopping or no longer
   * runs that runner.
   */
  boolean replace(PartitionRunner old, PartitionRunner fresh) {
    if (stopping || !runners.replace(old.partition, old, fresh)) {
      return false;
    }
    fresh.thread = Thread.ofVirtual()
        .name("tito-partition-" + topic + "-" + group + "-" + old.partition).start(fresh);
    return true;
  }

  /** Called by a runner's thread when it ends. */
  void exited(PartitionRunner r) {
    runners.remove(r.partition, r);
    own.wake(signalName());
  }

  private void leave() {
    try {
      ctx.tito.inTransaction(tx -> tx.clear(ctx.keys.member(topic, group, id)));
    } catch (RuntimeException e) {
      log.debug("could not leave group cleanly; membership will expire", e);
    }
  }

  @Override
  public boolean close(Duration timeout) {
    synchronized (this) {
      if (closed) {
        return true;
      }
      closed = true;
    }
    stopping = true;
    ctx.signals.wake(topic);
    own.wake(signalName());
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean clean = join(coordinator, deadline) & join(retention, deadline);
    if (!clean) {
      aborting = true;
      retention.interrupt();
      for (PartitionRunner r : runners.values()) {
        Thread t = r.thread;
        if (t != null) {
          t.interrupt();
        }
      }
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
    closed = true;
    stopping = true;
    aborting = true;
    coordinator.interrupt();
    retention.interrupt();
    for (PartitionRunner r : runners.values()) {
      Thread t = r.thread;
      if (t != null) {
        t.interrupt();
      }
    }
    join(coordinator, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    for (PartitionRunner r : new ArrayList<>(runners.values())) {
      Thread t = r.thread;
      if (t != null) {
        join(t, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
      }
    }
    Lifecycle.of(ctx.tito).unregister(this);
  }

  private static boolean join(Thread t, long deadlineNanos) {
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
