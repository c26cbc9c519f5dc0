package io.tito.internal.pubsub;

import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.NotFoundException;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.pubsub.Event;
import io.tito.pubsub.PartitionStatus;
import io.tito.pubsub.StartPosition;
import io.tito.pubsub.TopicConfig;
import io.tito.tuple.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator's reads of pub/sub state (topics, groups, members, partition status, scheduled
 * events) and the group reset. Every read is one snapshot and streams its ranges. Thread-safe.
 */
public final class Inspector {

  private final Context ctx;
  private final Keys keys;
  private final Publisher publisher;
  private final Groups groups;

  public Inspector(Context ctx, Publisher publisher, Groups groups) {
    this.ctx = ctx;
    this.keys = ctx.keys;
    this.publisher = publisher;
    this.groups = groups;
  }

  public List<String> topicNames() {
    return ctx.tito.read(tx -> lastStrings(tx, Tuple.of("m", "topic")));
  }

  public List<String> groupNames(String topic) {
    ctx.requireTopic(topic);
    return ctx.tito.read(tx -> lastStrings(tx, Tuple.of("m", "group", topic)));
  }

  public List<String> members(String topic, String group) {
    ctx.requireTopic(topic);
    long now = ctx.nowMillis();
    return ctx.tito.read(tx -> {
      requireGroup(tx, topic, group);
      List<String> out = new ArrayList<>();
      try (KeyValueCursor c = tx.scan(keys.membersRange(topic, group))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          if (Tuple.unpack(kv.value()).getLong(0) > now) {
            out.add(keys.memberName(kv.key()));
          }
        }
      }
      return out;
    });
  }

  public List<PartitionStatus> status(String topic, String group) {
    TopicConfig config = ctx.requireTopic(topic);
    long now = ctx.nowMillis();
    return ctx.tito.read(tx -> {
      requireGroup(tx, topic, group);
      List<PartitionStatus> out = new ArrayList<>();
      for (int p = 0; p < config.partitions(); p++) {
        long head = publisher.head(tx, topic, p);
        byte[] sv = tx.get(keys.state(topic, group, p));
        GroupState s = sv == null ? new GroupState(0, 0, 0, 0, null) : GroupState.decode(sv);
        long requeued = 0;
        try (KeyValueCursor c = tx.scan(keys.requeuedRange(topic, group, p))) {
          while (c.hasNext()) {
            c.next();
            requeued++;
          }
        }
        Lease lease = Lease.decode(tx.get(keys.lease(topic, group, p)));
        boolean live = !lease.free(now);
        out.add(new PartitionStatus(p, head, s.checkpoint(), Math.max(0, head - s.checkpoint()),
            requeued, s.attempts(), s.lastError(), live ? lease.owner() : null, s.epoch(),
            live ? Instant.ofEpochMilli(lease.expiryMillis()) : null));
      }
      return out;
    });
  }

  public List<Event> scheduled(String topic, int p, int limit) {
    TopicConfig config = ctx.requireTopic(topic);
    requirePartition(config, p);
    requireLimit(limit);
    return ctx.tito.read(tx -> {
      List<Event> out = new ArrayList<>();
      try (KeyValueCursor c = tx.scan(keys.dueRange(topic, p), ScanOptions.FORWARD.withLimit(limit))) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          out.add(EventCodec.decode(topic, p, -1, kv.value()));
        }
      }
      return out;
    });
  }

  /**
   * Sets the checkpoint of one partition, clears its failure count and fences its current owner
   * (the lease is released at a new epoch, so the owner's next commit fails and a worker takes the
   * partition again from the new checkpoint).
   */
  public void reset(String topic, String group, int p, long position) {
    TopicConfig config = ctx.requireTopic(topic);
    requirePartition(config, p);
    if (position < 0) {
      throw new InvalidArgumentException("position must be zero or positive",
          Map.of("position", position));
    }
    ctx.tito.inTransaction(tx -> {
      requireGroup(tx, topic, group);
      long head = publisher.head(tx, topic, p);
      if (position > head) {
        throw new InvalidArgumentException("position is past the partition's head",
            Map.of("position", position, "head", head, "partition", p));
      }
      write(tx, topic, group, p, position);
    });
  }

  /** Resets every partition to where {@code start} points now; returns the new checkpoints. */
  public List<Long> reset(String topic, String group, StartPosition start) {
    TopicConfig config = ctx.requireTopic(topic);
    if (start == null) {
      throw new InvalidArgumentException("start position needed", Map.of());
    }
    return ctx.tito.transaction(tx -> {
      requireGroup(tx, topic, group);
      List<Long> out = new ArrayList<>();
      for (int p = 0; p < config.partitions(); p++) {
        long cp = groups.startCheckpoint(tx, topic, p, start);
        write(tx, topic, group, p, cp);
        out.add(cp);
      }
      return out;
    });
  }

  private void write(Transaction tx, String topic, String group, int p, long position) {
    byte[] leaseKey = keys.lease(topic, group, p);
    byte[] sv = tx.get(keys.state(topic, group, p));
    Lease lease = Lease.decode(tx.get(leaseKey));
    long epoch = Math.max(lease.epoch(), sv == null ? 0 : GroupState.decode(sv).epoch()) + 1;
    tx.set(leaseKey, new Lease(null, epoch, 0).encode());
    tx.set(keys.state(topic, group, p), new GroupState(position, 0, epoch, 0, null).encode());
    ctx.signals.wakeOnCommit(tx, topic, p);
  }

  private void requireGroup(Transaction tx, String topic, String group) {
    Context.requireName(group, "group");
    if (tx.get(keys.group(topic, group)) == null) {
      throw new NotFoundException("group not found", Map.of("topic", topic, "group", group));
    }
  }

  private static void requirePartition(TopicConfig config, int p) {
    if (p < 0 || p >= config.partitions()) {
      throw new InvalidArgumentException("partition out of range",
          Map.of("partition", p, "partitions", config.partitions()));
    }
  }

  private static void requireLimit(int limit) {
    if (limit < 1) {
      throw new InvalidArgumentException("limit must be positive", Map.of("limit", limit));
    }
  }

  /** The distinct last string elements of the keys directly under {@code prefix}. */
  private List<String> lastStrings(Transaction tx, Tuple prefix) {
    List<String> out = new ArrayList<>();
    try (KeyValueCursor c = tx.scan(ctx.tito.root().range(prefix))) {
      while (c.hasNext()) {
        Tuple t = ctx.tito.root().unpack(c.next().key());
        out.add(t.getString(t.size() - 1));
      }
    }
    return out;
  }
}
