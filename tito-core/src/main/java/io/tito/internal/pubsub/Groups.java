package io.tito.internal.pubsub;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.pubsub.PartitionLag;
import io.tito.pubsub.StartPosition;
import io.tito.pubsub.TopicConfig;
import io.tito.tuple.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Group registration, lag, and retention. Thread-safe. */
public final class Groups {

  private static final int PAGE = 256;

  private final Context ctx;
  private final Keys keys;
  private final Publisher publisher;

  public Groups(Context ctx, Publisher publisher) {
    this.ctx = ctx;
    this.keys = ctx.keys;
    this.publisher = publisher;
  }

  /**
   * Registers the group if new: records it and sets each partition's checkpoint from {@code
   * start}. A known group keeps its checkpoints.
   */
  public void register(String topic, String group, StartPosition start) {
    Context.requireName(group, "group");
    ctx.tito.inTransaction(tx -> {
      TopicConfig config = ctx.requireTopic(tx, topic);
      if (tx.get(keys.group(topic, group)) == null) {
        tx.set(keys.group(topic, group), Tuple.of(start.kind().name(), start.time()).pack());
      }
      for (int p = 0; p < config.partitions(); p++) {
        if (tx.get(keys.state(topic, group, p)) == null) {
          long cp = startCheckpoint(tx, topic, p, start);
          tx.set(keys.state(topic, group, p), new GroupState(cp, 0, 0, 0, null).encode());
        }
      }
    });
  }

  long startCheckpoint(Transaction tx, String topic, int p, StartPosition start) {
    long head = publisher.head(tx, topic, p);
    if (start.kind() == StartPosition.Kind.LATEST) {
      return head;
    }
    long from = 0;
    while (true) {
      List<Publisher.Stored> page = publisher.readStored(tx, topic, p, from, PAGE);
      if (page.isEmpty()) {
        return head;
      }
      for (Publisher.Stored s : page) {
        if (start.kind() == StartPosition.Kind.EARLIEST) {
          return s.position();
        }
        Instant at = EventCodec.publishedAt(s.bytes());
        if (at != null && !at.isBefore(start.time())) {
          return s.position();
        }
      }
      from = page.get(page.size() - 1).position() + 1;
    }
  }

  public List<PartitionLag> lag(String topic, String group) {
    TopicConfig config = ctx.requireTopic(topic);
    return ctx.tito.read(tx -> {
      if (tx.get(keys.group(topic, group)) == null) {
        throw new io.tito.NotFoundException("group not found", java.util.Map.of("topic", topic, "group", group));
      }
      List<PartitionLag> out = new ArrayList<>();
      for (int p = 0; p < config.partitions(); p++) {
        long head = publisher.head(tx, topic, p);
        byte[] sv = tx.get(keys.state(topic, group, p));
        long cp = sv == null ? 0 : GroupState.decode(sv).checkpoint();
        long requeued = 0;
        try (KeyValueCursor c = tx.scan(keys.requeuedRange(topic, group, p))) {
          while (c.hasNext()) {
            c.next();
            requeued++;
          }
        }
        out.add(new PartitionLag(p, head, cp, Math.max(0, head - cp), requeued));
      }
      return out;
    });
  }

  /**
   * Deletes log entries of partition {@code p} that every registered group has passed and whose
   * retention time is over, oldest first, stopping at the first that must stay (so the log stays
   * a contiguous suffix). At most {@code limit} per call; returns how many were deleted.
   */
  public int applyRetention(String topic, int p, int limit) {
    return ctx.tito.transaction(tx -> deleteRetained(tx, topic, p, limit, ctx.nowMillis()));
  }

  /**
   * One bounded step of a worker's retention round of partition {@code p}. With {@code
   * intervalMillis > 0} this is the round's first step: it claims the round for the partition,
   * and does nothing (returns -1) if another worker, of any group, claimed one less than {@code
   * intervalMillis} ago (less a tenth), so each partition is cleaned once per interval whatever the number of
   * groups. Otherwise (and for a partition never claimed) it
   * deletes like {@link #applyRetention} in the same transaction and returns how many.
   */
  int retentionStep(String topic, int p, int limit, long intervalMillis) {
    long now = ctx.nowMillis();
    return ctx.tito.transaction(tx -> {
      if (intervalMillis > 0) {
        if (claimedWithin(tx, topic, p, now, intervalMillis)) {
          return -1;
        }
        tx.set(keys.retained(topic, p), Tuple.of(now).pack());
      }
      return deleteRetained(tx, topic, p, limit, now);
    });
  }

  /**
   * Of {@code partitions}, those whose retention round is due (not claimed within the interval,
   * as in {@link #retentionStep}) and whose oldest event can go now: a worker claims and works
   * only on these, so an idle partition costs a few reads per interval and no write. One
   * read-only transaction.
   */
  List<Integer> retentionCandidates(String topic, List<Integer> partitions, long intervalMillis) {
    long now = ctx.nowMillis();
    return ctx.tito.read(tx -> {
      List<Integer> out = new ArrayList<>();
      for (int p : partitions) {
        if (!claimedWithin(tx, topic, p, now, intervalMillis)
            && deleteRetained(tx, topic, p, 1, now, false) > 0) {
          out.add(p);
        }
      }
      return out;
    });
  }

  private boolean claimedWithin(Transaction tx, String topic, int p, long now, long intervalMillis) {
    byte[] last = tx.get(keys.retained(topic, p));
    // A tenth of slack, so that a worker whose rounds are an interval apart is not skipped
    // because its previous claim came a little later in its round.
    return last != null && now - Tuple.unpack(last).getLong(0) < intervalMillis - intervalMillis / 10;
  }

  private int deleteRetained(Transaction tx, String topic, int p, int limit, long cutoff) {
    return deleteRetained(tx, topic, p, limit, cutoff, true);
  }

  /** Deletes (or with {@code delete} false, counts) up to {@code limit} deletable events. */
  private int deleteRetained(Transaction tx, String topic, int p, int limit, long cutoff,
      boolean delete) {
    TopicConfig config = ctx.requireTopic(tx, topic);
    long keepFrom = publisher.head(tx, topic, p);
    try (KeyValueCursor c = tx.scan(keys.groupsRange(topic))) {
      while (c.hasNext()) {
        String group = keys.groupName(c.next().key());
        byte[] sv = tx.get(keys.state(topic, group, p));
        keepFrom = Math.min(keepFrom, sv == null ? 0 : GroupState.decode(sv).checkpoint());
      }
    }
    long expiredBefore = cutoff - config.retention().toMillis();
    int deleted = 0;
    List<byte[]> values = new ArrayList<>();
    try (KeyValueCursor c = tx.scan(keys.logRange(topic, p), ScanOptions.FORWARD.withLimit(limit))) {
      while (c.hasNext()) {
        KeyValue kv = c.next();
        Instant at = EventCodec.publishedAt(kv.value());
        if (keys.logPosition(kv.key()) >= keepFrom
            || (at != null && at.toEpochMilli() > expiredBefore)) {
          break;
        }
        if (delete) {
          tx.clear(kv.key());
          values.add(kv.value());
        }
        deleted++;
      }
    }
    if (!values.isEmpty()) {
      publisher.forgetIds(tx, topic, values);
    }
    return deleted;
  }

  /** Unregisters a group: its checkpoints, leases, requeued entries, members and dead letters. */
  public void delete(String topic, String group) {
    ctx.tito.inTransaction(tx -> {
      tx.clear(keys.group(topic, group));
      tx.clearRange(keys.groupRange(topic, group));
      tx.clearRange(keys.deadRange(topic, group));
      tx.clearRange(keys.membersRange(topic, group));
    });
  }
}
