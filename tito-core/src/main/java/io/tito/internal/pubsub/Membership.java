package io.tito.internal.pubsub;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.pubsub.SubscribeOptions;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's membership of a group and its leases, in storage: the heartbeat transaction (renew
 * the membership, drop expired members, renew or find lost the leases whose renewal is due), the
 * assignment (live members sorted by id; partition p goes to member {@code p % n}), taking a free
 * or expired lease (which fences the previous owner by writing the new epoch into the group
 * state), and leaving. Holds no mutable state; thread-safe.
 */
final class Membership {

  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  private final Context ctx;
  private final String topic;
  private final String group;
  private final String workerId;
  private final SubscribeOptions options;

  Membership(Context ctx, String topic, String group, String workerId, SubscribeOptions options) {
    this.ctx = ctx;
    this.topic = topic;
    this.group = group;
    this.workerId = workerId;
    this.options = options;
  }

  /**
   * What a heartbeat found.
   *
   * @param live live members sorted by id (this worker included unless it is stopping)
   * @param held leases still this worker's, with their expiry after the heartbeat
   * @param lost leases someone else holds now
   */
  record Beat(List<String> live, Map<PartitionLease, Long> held, List<PartitionLease> lost) {}

  /**
   * Runs one heartbeat at {@code now}. Memberships and leases are rewritten only once less than
   * half their timeout plus a heartbeat is left, not at every heartbeat: an idle worker's
   * heartbeat then mostly reads. Until then nobody else can take them, as a lease is taken only
   * when free or expired; commits are fenced in any case.
   */
  Beat heartbeat(Collection<PartitionLease> leases, boolean stopping, long now) {
    long expiry = now + options.leaseTimeout().toMillis();
    long renewBelow = options.leaseTimeout().toMillis() / 2 + options.heartbeatInterval().toMillis();
    List<PartitionLease> due = new ArrayList<>();
    for (PartitionLease l : leases) {
      if (l.expiryMillis() - now <= renewBelow) {
        due.add(l);
      }
    }
    return ctx.tito.transaction(tx -> {
      List<String> live = new ArrayList<>();
      boolean member = false;
      try (KeyValueCursor c = tx.scan(ctx.keys.membersRange(topic, group))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          String name = ctx.keys.memberName(kv.key());
          if (name.equals(workerId)) {
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
          tx.set(ctx.keys.member(topic, group, workerId), Tuple.of(expiry).pack());
        }
        live.add(workerId);
      }
      Collections.sort(live);
      Map<PartitionLease, Long> held = new HashMap<>();
      List<PartitionLease> lost = new ArrayList<>();
      List<byte[]> leaseKeys = new ArrayList<>();
      for (PartitionLease l : due) {
        leaseKeys.add(ctx.keys.lease(topic, group, l.partition()));
      }
      List<byte[]> stored = leaseKeys.isEmpty() ? List.of() : tx.getAll(leaseKeys); // one round trip
      for (int i = 0; i < due.size(); i++) {
        PartitionLease mine = due.get(i);
        Lease l = Lease.decode(stored.get(i));
        if (workerId.equals(l.owner()) && l.epoch() == mine.epoch()) {
          if (l.expiryMillis() - now <= renewBelow) {
            l = new Lease(workerId, mine.epoch(), expiry);
            tx.set(leaseKeys.get(i), l.encode());
          }
          held.put(mine, l.expiryMillis());
        } else {
          lost.add(mine);
        }
      }
      return new Beat(live, held, lost);
    });
  }

  /** Whether {@code partition} is assigned to this worker among the {@code live} members. */
  boolean assigned(List<String> live, int partition) {
    return partition % live.size() == live.indexOf(workerId);
  }

  /**
   * Takes the lease of partition {@code p} until {@code expiry} if it is free, expired or already
   * this worker's, and writes the new epoch into the group state (fencing every transaction of the
   * previous owner). Returns the lease, or null if another worker holds it or the group has no
   * state there.
   */
  PartitionLease acquire(int p, long expiry) {
    long now = ctx.nowMillis();
    long epoch = ctx.tito.transaction(tx -> {
      byte[] leaseKey = ctx.keys.lease(topic, group, p);
      byte[] stateKey = ctx.keys.state(topic, group, p);
      Lease l = Lease.decode(tx.get(leaseKey));
      byte[] sv = tx.get(stateKey);
      if (sv == null || !(l.free(now) || workerId.equals(l.owner()))) {
        return -1L;
      }
      long next = l.epoch() + 1;
      tx.set(leaseKey, new Lease(workerId, next, expiry).encode());
      tx.set(stateKey, GroupState.decode(sv).withEpoch(next).encode());
      return next;
    });
    if (epoch < 0) {
      return null;
    }
    log.debug("acquired partition {} epoch {} {} {}", p, epoch, topic, group);
    return new PartitionLease(ctx, topic, group, p, workerId, epoch, expiry);
  }

  /** Removes the membership; if that fails it expires. */
  void leave() {
    try {
      ctx.tito.inTransaction(tx -> tx.clear(ctx.keys.member(topic, group, workerId)));
    } catch (RuntimeException e) {
      log.debug("could not leave group cleanly; membership will expire", e);
    }
  }
}
