package io.tito.internal.pubsub;

import io.tito.Transaction;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's lease on one partition of one group at one epoch: the only owner of what is known
 * about it in memory (expiry as last renewed, lost, asked to release), and the fencing check that
 * every progress-writing transaction runs first. The worker's heartbeat renews it or marks it lost
 * and asks it released when the assignment moves; its runner (and a fresh runner that takes over
 * from one whose handler timed out) reads it. Thread-safe.
 */
final class PartitionLease {

  private static final Logger log = LoggerFactory.getLogger(PartitionLease.class);

  private final Context ctx;
  private final String topic;
  private final String group;
  private final int partition;
  private final String workerId;
  private final long epoch;
  private volatile long expiryMillis;
  private volatile boolean lost;
  private volatile boolean releaseAsked;

  PartitionLease(Context ctx, String topic, String group, int partition, String workerId, long epoch,
      long expiryMillis) {
    this.ctx = ctx;
    this.topic = topic;
    this.group = group;
    this.partition = partition;
    this.workerId = workerId;
    this.epoch = epoch;
    this.expiryMillis = expiryMillis;
  }

  int partition() {
    return partition;
  }

  long epoch() {
    return epoch;
  }

  long expiryMillis() {
    return expiryMillis;
  }

  /** Whether the lease, as last renewed by the heartbeat, has not yet expired. */
  boolean held() {
    return ctx.nowMillis() < expiryMillis;
  }

  /** The heartbeat found the lease still ours, valid until {@code until}. */
  void renewed(long until) {
    expiryMillis = until;
  }

  /** Someone else took the lease (found by the heartbeat, or fenced in a transaction). */
  void markLost() {
    lost = true;
  }

  boolean lost() {
    return lost;
  }

  /** The assignment moved the partition to another worker: finish the current event and release. */
  void askRelease() {
    releaseAsked = true;
  }

  boolean releaseAsked() {
    return releaseAsked;
  }

  /**
   * Re-reads lease and state in {@code tx} and returns the state; throws {@link Fenced} unless
   * this lease still owns the partition (the same owner and epoch in the lease and the state).
   */
  GroupState fence(Transaction tx) {
    // One multi-get: one round trip on a SQL engine, where two gets were two.
    return fence(tx.getAll(fenceKeys()));
  }

  /** What {@link #fence(Transaction)} reads: the group state, then the lease. */
  List<byte[]> fenceKeys() {
    Keys keys = ctx.keys;
    return List.of(keys.state(topic, group, partition), keys.lease(topic, group, partition));
  }

  /**
   * {@link #fence(Transaction)} with the values of {@link #fenceKeys()} read already in the
   * transaction (with its first read).
   */
  GroupState fence(List<byte[]> read) {
    byte[] sv = read.get(0);
    Lease lease = Lease.decode(read.get(1));
    if (sv == null || !workerId.equals(lease.owner()) || lease.epoch() != epoch) {
      throw new Fenced();
    }
    GroupState s = GroupState.decode(sv);
    if (s.epoch() != epoch) {
      throw new Fenced();
    }
    return s;
  }

  /** Frees the lease in storage if it is still this one; on failure it just expires. */
  void release() {
    try {
      ctx.tito.inTransaction(tx -> {
        byte[] key = ctx.keys.lease(topic, group, partition);
        Lease l = Lease.decode(tx.get(key));
        if (workerId.equals(l.owner()) && l.epoch() == epoch) {
          tx.set(key, new Lease(null, epoch, 0).encode());
        }
      });
    } catch (RuntimeException e) {
      log.warn("could not release lease {}; it will expire", this, e);
    }
  }

  @Override
  public String toString() {
    return "[topic=" + topic + " group=" + group + " partition=" + partition + " epoch=" + epoch
        + " worker=" + workerId + "]";
  }
}
