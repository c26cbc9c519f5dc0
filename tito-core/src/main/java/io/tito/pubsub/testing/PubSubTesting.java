package io.tito.pubsub.testing;

import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.internal.pubsub.Keys;
import io.tito.internal.pubsub.Lease;
import io.tito.internal.pubsub.Worker;
import io.tito.pubsub.Subscription;
import java.util.Map;

/**
 * Supported test hooks into pub/sub, for fault-injection and history tests (the delivery kit of
 * {@code tito-testkit} uses them): crash a subscription as a killed process would leave it, read
 * the lease of a partition, find the keys a group's heartbeats write. Not for production code:
 * what these read is how a store keeps its state today, so the results describe the store but
 * their form may change with it.
 *
 * <p>Stateless and thread-safe.
 */
public final class PubSubTesting {

  private PubSubTesting() {}

  /**
   * Stops {@code subscription} as a crashed process would: every thread stops at once, nothing
   * more commits, and its leases are neither released nor is the group left, so its partitions
   * move to other workers only once the leases expire. Afterwards {@link Subscription#close()}
   * does nothing.
   *
   * @throws InvalidArgumentException if {@code subscription} was not made by {@code
   *     tito.topics()}
   */
  public static void crash(Subscription subscription) {
    if (!(subscription instanceof Worker w)) {
      throw new InvalidArgumentException("not a subscription made by Topics",
          Map.of("subscription", String.valueOf(subscription)));
    }
    w.crash();
  }

  /**
   * The lease of {@code partition} within {@code group}, read in {@code tx} (so that a handler
   * may record the epoch it runs under in the transaction that commits its effects).
   *
   * @return the lease; {@link PartitionLease#owner()} is null if nobody ever held it or it was
   *     released
   */
  public static PartitionLease lease(Tito tito, Transaction tx, String topic, String group,
      int partition) {
    Lease l = Lease.decode(tx.get(new Keys(tito.root()).lease(topic, group, partition)));
    return new PartitionLease(l.owner(), l.epoch(), l.expiryMillis());
  }

  /** {@link #lease(Tito, Transaction, String, String, int)} in a read-only transaction of its own. */
  public static PartitionLease lease(Tito tito, String topic, String group, int partition) {
    return tito.read(tx -> lease(tito, tx, topic, group, partition));
  }

  /**
   * The keys of {@code group}'s memberships, which every worker's heartbeat rewrites: an engine
   * decorator that stalls writes to this range stalls the group's heartbeats (and so lets leases
   * expire) while handlers go on.
   */
  public static KeyRange membersRange(Tito tito, String topic, String group) {
    return new Keys(tito.root()).membersRange(topic, group);
  }

  /**
   * The lease of one partition within a group: who owns it, under which fencing epoch, until
   * when.
   *
   * @param owner the worker id ({@link Subscription#workerId()}), or null if free
   * @param epoch increases with every new owner; a worker's commits check it
   * @param expiryMillis epoch milliseconds (by the store's clock) at which the lease lapses unless
   *     renewed
   */
  public record PartitionLease(String owner, long epoch, long expiryMillis) {}
}
