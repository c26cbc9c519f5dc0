package io.tito.events;

import io.tito.InvalidArgumentException;
import io.tito.KeyValueCursor;
import io.tito.Stamp;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.internal.events.AllLog;
import io.tito.internal.events.AllScan;
import io.tito.internal.events.EventKeys;
import io.tito.internal.events.Positions;
import io.tito.internal.pubsub.Context;
import io.tito.internal.pubsub.DeadLetters;
import io.tito.internal.pubsub.GroupState;
import io.tito.internal.pubsub.Groups;
import io.tito.internal.pubsub.Keys;
import io.tito.internal.pubsub.Lease;
import io.tito.internal.pubsub.Publisher;
import io.tito.internal.pubsub.Signals;
import io.tito.internal.pubsub.Subscriptions;
import io.tito.pubsub.DeadLetter;
import io.tito.pubsub.TopicConfig;
import io.tito.tuple.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The consumer core as the event store uses it: projections and subscriptions are consumer groups
 * of one hidden topic, {@value #TOPIC}, of one partition, whose log is {@code $all} (an {@link
 * AllLog}) instead of the topic's own. The topic holds the groups' checkpoints (packed {@link
 * Positions}), fenced leases, members, requeued entries and dead letters; appends wake its
 * partition on commit. Thread-safe.
 */
final class Consumers {

  /** The hidden topic of every event-store consumer group. */
  static final String TOPIC = EventStore.CONSUMER_TOPIC;
  private static final TopicConfig CONFIG = new TopicConfig(1, Duration.ofDays(7));

  final Tito tito;
  final EventKeys keys;
  final Context ctx;
  final Keys coreKeys;
  final DeadLetters deadLetters;
  final Subscriptions subscriptions;
  private final Publisher publisher;
  private final Groups groups;
  private final WakeUps wakeUps;
  private volatile boolean topicCreated;

  Consumers(Tito tito, EventKeys keys, java.time.Duration wakeUpInterval) {
    this.tito = tito;
    this.wakeUps = new WakeUps(tito, TOPIC, wakeUpInterval.toNanos(), keys.wakeUp());
    this.keys = keys;
    this.ctx = new Context(tito, tito.clock());
    this.coreKeys = new Keys(tito.root());
    this.publisher = new Publisher(ctx);
    this.groups = new Groups(ctx, publisher);
    this.deadLetters = new DeadLetters(ctx);
    this.subscriptions = new Subscriptions(ctx, publisher, deadLetters, groups);
  }

  /** Creates the hidden topic once (idempotent across processes). */
  void ensureTopic() {
    if (!topicCreated) {
      publisher.createTopic(TOPIC, CONFIG);
      topicCreated = true;
    }
  }

  /** {@code $all} as the log of {@code group}. See {@link AllLog}. */
  AllLog log(String group, EventFilter filter, Stamp until, boolean ackMarkers) {
    return new AllLog(keys, group, filter::test, until, coreKeys.lease(TOPIC, group, 0), ackMarkers);
  }

  /** Wakes the consumers of every process once {@code tx} commits (see {@link WakeUps}). */
  void wakeOnCommit(Transaction tx) {
    wakeUps.onCommit(tx);
  }

  /** Wakes the consumers of this process now. */
  void wakeNow() {
    Signals.of(tito.engine()).wake(TOPIC, 0);
  }

  /** The group's state, or null if the group was never started. */
  GroupState state(Transaction tx, String group) {
    byte[] v = tx.get(coreKeys.state(TOPIC, group, 0));
    return v == null ? null : GroupState.decode(v);
  }

  /** Writes the group's first checkpoint unless it has one. */
  void register(String group, long checkpoint) {
    ensureTopic();
    tito.inTransaction(tx -> {
      if (state(tx, group) == null) {
        tx.set(coreKeys.state(TOPIC, group, 0), new GroupState(checkpoint, 0, 0, 0, null).encode());
      }
      // Listed by names() before its first runner registers it with the consumer core.
      if (tx.get(coreKeys.group(TOPIC, group)) == null) {
        tx.set(coreKeys.group(TOPIC, group), Tuple.of("EARLIEST", null).pack());
      }
    });
  }

  /** The names of the known groups starting with {@code prefix}, without it, sorted. */
  List<String> names(String prefix) {
    List<String> groups;
    try {
      groups = tito.topics().groups(TOPIC);
    } catch (io.tito.NotFoundException e) {
      return List.of(); // no consumer ever; listing writes nothing
    }
    List<String> out = new ArrayList<>();
    for (String g : groups) {
      if (g.startsWith(prefix)) {
        out.add(g.substring(prefix.length()));
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  /**
   * Moves the group's checkpoint to {@code checkpoint} in {@code tx} and bumps its generation, so
   * that a batch fetched before is refused by its handler's transaction (keeps the lease epoch).
   */
  void moveCheckpoint(Transaction tx, String group, long checkpoint) {
    GroupState s = state(tx, group);
    long epoch = s == null ? 0 : s.epoch();
    tx.set(coreKeys.state(TOPIC, group, 0), new GroupState(checkpoint, 0, epoch, 0, null).encode());
    long gen = AllLog.generation(tx, keys, group);
    tx.set(keys.consumerGeneration(group), Tuple.of(gen + 1).pack());
    tx.clearRange(keys.consumerAcks(group));
    wakeOnCommit(tx);
  }

  /**
   * Moves a known group's checkpoint to {@code checkpoint} (attempts cleared, dead letters and
   * requeued entries kept) and frees its lease, in one transaction: a worker that holds the lease
   * is fenced (its batch in hand cannot move the checkpoint past the reset), loses the lease, and
   * takes it again at its next heartbeat from the new checkpoint.
   */
  void reset(String group, long checkpoint) {
    requireKnown(group);
    tito.inTransaction(tx -> {
      moveCheckpoint(tx, group, checkpoint);
      byte[] leaseKey = coreKeys.lease(TOPIC, group, 0);
      Lease l = Lease.decode(tx.get(leaseKey));
      tx.set(leaseKey, new Lease(null, l.epoch(), 0).encode());
    });
  }

  /**
   * Deletes a group: its checkpoint, lease, members, requeued entries, dead letters, pause flag
   * and generation, in one transaction. Refused while a worker of the group is live.
   *
   * @return whether the group existed
   * @throws InvalidArgumentException if a worker of the group is live (close it first; a crashed
   *     one counts until its membership expires, one lease timeout)
   */
  boolean delete(String group) {
    ensureTopic();
    return tito.transaction(tx -> {
      if (state(tx, group) == null) {
        return false;
      }
      long now = tito.clock().millis();
      try (KeyValueCursor c = tx.scan(coreKeys.membersRange(TOPIC, group))) {
        while (c.hasNext()) {
          io.tito.KeyValue kv = c.next();
          if (Tuple.unpack(kv.value()).getLong(0) > now) {
            throw new InvalidArgumentException("the group has a live worker: close it before deleting the group",
                Map.of("group", group, "worker", coreKeys.memberName(kv.key())));
          }
        }
      }
      tx.clear(coreKeys.group(TOPIC, group));
      tx.clearRange(coreKeys.groupRange(TOPIC, group));
      tx.clearRange(coreKeys.deadRange(TOPIC, group));
      tx.clearRange(coreKeys.membersRange(TOPIC, group));
      tx.clear(keys.consumerPaused(group));
      tx.clear(keys.consumerGeneration(group));
      tx.clearRange(keys.consumerAcks(group));
      return true;
    });
  }

  /** Most passed ack markers one manual ack clears (they are also cleared by a reset or delete). */
  private static final int ACK_MARKER_CLEANUP = 16;

  /** Clears some of the group's ack markers below {@code checkpoint} (passed, no longer needed) in {@code tx}. */
  void clearAckMarkersBelow(Transaction tx, String group, long checkpoint) {
    List<byte[]> passed = new ArrayList<>();
    try (KeyValueCursor c = tx.scan(keys.consumerAcks(group, 0, checkpoint),
        io.tito.ScanOptions.FORWARD.withLimit(ACK_MARKER_CLEANUP))) {
      while (c.hasNext()) {
        passed.add(c.next().key());
      }
    }
    passed.forEach(tx::clear);
  }

  void setPaused(String group, boolean paused) {
    requireKnown(group);
    tito.inTransaction(tx -> {
      if (paused) {
        tx.set(keys.consumerPaused(group), new byte[0]);
      } else {
        tx.clear(keys.consumerPaused(group));
        wakeOnCommit(tx);
      }
    });
  }

  void requireKnown(String group) {
    ensureTopic();
    if (tito.read(tx -> state(tx, group)) == null) {
      throw new io.tito.NotFoundException("consumer not found", Map.of("group", group));
    }
  }

  /** The checkpoint for a start at {@code start}: the position after it. */
  static long after(Stamp start) {
    return Positions.pack(start) + 1;
  }

  /** Counts $all entries at or after {@code checkpoint}, up to {@code cap}. */
  long lag(Transaction tx, long checkpoint, int cap) {
    return AllScan.count(tx, keys, Positions.unpack(checkpoint), tx.stampHorizon(), cap);
  }

  List<EventDeadLetter> deadLetters(String group, int limit, Reader reader) {
    requireKnown(group);
    List<EventDeadLetter> out = new ArrayList<>();
    for (DeadLetter d : deadLetters.list(TOPIC, group, limit)) {
      out.add(EventDeadLetter.of(d, reader));
    }
    return out;
  }

  /** Requeues a dead letter for its group (without its generation: a requeued entry is always handled). */
  void requeue(String group, UUID id) {
    requireKnown(group);
    tito.inTransaction(tx -> {
      byte[] key = coreKeys.dead(TOPIC, group, id);
      byte[] v = tx.get(key);
      if (v == null) {
        return;
      }
      Tuple t = Tuple.unpack(v);
      byte[] bytes = AllLog.ConsumedEvent.withoutGeneration(t.getBytes(2));
      tx.set(key, Tuple.of(t.getLong(0), t.getLong(1), bytes, t.getString(3), t.getLong(4),
          t.getInstant(5)).pack());
    });
    deadLetters.requeue(TOPIC, group, id);
  }

  boolean deleteDeadLetter(String group, UUID id) {
    requireKnown(group);
    return deadLetters.delete(TOPIC, group, id);
  }

  /** Clears the group's dead letters and requeued entries in {@code tx}. */
  void clearFailures(Transaction tx, String group) {
    tx.clearRange(coreKeys.deadRange(TOPIC, group));
    tx.clearRange(coreKeys.requeuedRange(TOPIC, group, 0));
  }

  static void checkName(String name) {
    if (name == null || name.isEmpty() || name.length() > EventStore.MAX_NAME_LENGTH) {
      throw new InvalidArgumentException("name must have 1 to " + EventStore.MAX_NAME_LENGTH + " chars",
          Map.of("name", String.valueOf(name)));
    }
  }

  /** The recorded event of a consumed core event, or null for a skip marker. */
  static RecordedEvent decode(io.tito.pubsub.Event ev, Reader reader) {
    if (ev.headers().containsKey(AllLog.ConsumedEvent.SKIP)) {
      return null;
    }
    long version = Long.parseLong(ev.headers().get(AllLog.ConsumedEvent.VERSION));
    return reader.toRecorded(ev.key(), version, Positions.unpack(ev.position()),
        io.tito.internal.events.StoredEvent.decode(ev.payload()));
  }

  /** The generation a consumed core event was fetched under, or -1 if it has none (requeued). */
  static long generationOf(io.tito.pubsub.Event ev) {
    String g = ev.headers().get(AllLog.ConsumedEvent.GENERATION);
    return g == null ? -1 : Long.parseLong(g);
  }

  /** The status of a known group. */
  ProjectionStatus status(String group, String name) {
    requireKnown(group);
    return tito.read(tx -> {
      Stamp horizon = tx.stampHorizon(); // first: an engine may bound it tighter before any read
      GroupState s = state(tx, group);
      Stamp head = AllScan.head(tx, keys, horizon);
      return new ProjectionStatus(name, Positions.consumedBefore(s.checkpoint()), head,
          lag(tx, s.checkpoint(), Projections.LAG_COUNT_LIMIT), tx.get(keys.consumerPaused(group)) != null,
          s.attempts(), s.lastError());
    });
  }
}
