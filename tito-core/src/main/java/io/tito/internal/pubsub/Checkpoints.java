package io.tito.internal.pubsub;

import io.tito.Transaction;
import java.util.List;

/**
 * A group's progress in one partition, in storage: the checkpoint in the group state, the
 * requeued entries, and the attempt count of whichever item is at the head. Every write here runs
 * in a transaction that has first passed {@link PartitionLease#fence}, and writes the state key
 * (so a concurrent new owner's epoch write conflicts with it). Holds no mutable state.
 */
final class Checkpoints {

  private final Keys keys;
  private final String topic;
  private final String group;
  private final int partition;

  Checkpoints(Keys keys, String topic, String group, int partition) {
    this.keys = keys;
    this.topic = topic;
    this.group = group;
    this.partition = partition;
  }

  /** Whether {@code first} is still the next item to consume. */
  boolean unconsumed(Transaction tx, GroupState s, Item first) {
    if (first.requeued()) {
      return currentRequeued(tx, first) != null;
    }
    return s.checkpoint() <= first.position();
  }

  /** Throws a {@link Stale} unless {@code first} is still the next item to consume. */
  void requireUnconsumed(Transaction tx, GroupState s, Item first) {
    if (!unconsumed(tx, s, first)) {
      throw new Stale(false);
    }
  }

  /** Marks {@code items} consumed: removes the last one's requeued entry or moves the checkpoint past it. */
  void advance(Transaction tx, GroupState s, List<Item> items) {
    Item item = items.get(items.size() - 1);
    if (item.requeued()) {
      tx.clear(keys.requeued(topic, group, partition, item.requeueNumber()));
      // Unchanged (the log event at the checkpoint keeps its count), but written: fencing.
      tx.set(keys.state(topic, group, partition), s.encode());
    } else {
      tx.set(keys.state(topic, group, partition),
          s.advancedTo(Math.max(s.checkpoint(), item.position() + 1)).encode());
    }
  }

  /**
   * Marks every item of a run of handled {@code items} consumed, in fetch order: removes each
   * requeued entry among them, and moves the checkpoint past the last log event among them (or,
   * with none, rewrites the state unchanged: fencing). One commit for the whole run.
   */
  GroupState advanceRun(Transaction tx, GroupState s, List<Item> items) {
    long next = -1;
    for (Item item : items) {
      if (item.requeued()) {
        tx.clear(keys.requeued(topic, group, partition, item.requeueNumber()));
      } else {
        next = Math.max(next, item.position() + 1);
      }
    }
    GroupState after = next < 0 ? s : s.advancedTo(Math.max(s.checkpoint(), next));
    tx.set(keys.state(topic, group, partition), after.encode());
    return after;
  }

  /**
   * The failed attempts counted so far for {@code item} in its own counter (its requeued entry's,
   * or the group state's for the log event at the checkpoint), or -1 if it was consumed meanwhile.
   */
  int attempts(Transaction tx, GroupState s, Item item) {
    if (item.requeued()) {
      Requeued r = currentRequeued(tx, item);
      return r == null ? -1 : r.attempts();
    }
    if (s.checkpoint() == item.position()) {
      return s.attempts();
    }
    // A log with gaps between positions (a LogReader's): the first unconsumed item may lie past
    // the checkpoint; it has no failure counted yet (the first one moves the checkpoint onto it).
    return s.checkpoint() < item.position() ? 0 : -1;
  }

  /** Counts one more failed attempt of the unconsumed {@code item}, to retry at {@code retryAt}. */
  void countFailure(Transaction tx, GroupState s, Item item, long retryAt, String error) {
    if (item.requeued()) {
      Requeued r = currentRequeued(tx, item);
      tx.set(keys.requeued(topic, group, partition, item.requeueNumber()), r.failed(retryAt, error).encode());
      tx.set(keys.state(topic, group, partition), s.encode());
    } else {
      tx.set(keys.state(topic, group, partition), s.failedAt(item.position(), retryAt, error).encode());
    }
  }

  private Requeued currentRequeued(Transaction tx, Item item) {
    byte[] v = tx.get(keys.requeued(topic, group, partition, item.requeueNumber()));
    if (v == null) {
      return null;
    }
    Requeued r = Requeued.decode(v);
    return r.id().equals(item.requeueId()) ? r : null;
  }
}
