package io.tito.events;

import io.tito.InvalidArgumentException;
import io.tito.Transaction;
import io.tito.internal.events.AllLog;
import io.tito.internal.events.EventKeys;
import io.tito.internal.pubsub.GroupState;
import java.util.Map;

/**
 * One event handed to a {@link EventSubscriptions#subscribeManual manual-ack} handler. Ack or
 * nack it during the handler call or later, from any thread: the worker holds the group's events
 * in hand (at most {@link EventSubscriptionOptions#maxInFlight} of them) until each is acked or
 * one is nacked, and fetches no more meanwhile. An ack must come before the worker gives up on
 * the batch: shortly before the handler timeout ({@link
 * io.tito.pubsub.SubscribeOptions#handlerTimeout}, less a tenth of it, at most 1 s; a failed
 * attempt), the subscription's close (after its shutdown timeout), a crash, or a nack of another
 * event of the batch; then the events are handed over again and this delivery throws {@link
 * StaleDeliveryException}. An {@link #ack()} racing the give-up may be lost without an error
 * (the event comes again: at least once); {@link #ack(Transaction)} never is. Thread-safe.
 */
public final class Delivery {

  private final RecordedEvent event;
  private final DeliveryBatch batch;
  private final Consumers consumers;
  private final String group;
  private final long position;
  /** The group's generation when fetched, or -1 for a requeued dead letter. */
  private final long generation;
  private boolean settled; // guarded by the batch's lock

  Delivery(RecordedEvent event, DeliveryBatch batch, Consumers consumers, String group, long position,
      long generation) {
    this.event = event;
    this.batch = batch;
    this.consumers = consumers;
    this.group = group;
    this.position = position;
    this.generation = generation;
    batch.add();
  }

  public RecordedEvent event() {
    return event;
  }

  /**
   * Done with it: once every event of the batch is acked, the group's checkpoint moves past them
   * (at least once: a crash before that hands them over again). Acking twice does nothing.
   *
   * @throws StaleDeliveryException if the worker gave up on the batch
   */
  public void ack() {
    batch.ack(this);
  }

  /**
   * Done with it, in the caller's transaction: the ack commits with the caller's other writes, and
   * the event is never handed over to the group again once {@code tx} committed (exactly once in
   * the store, also across crashes and lease changes). It counts for the batch in hand once
   * {@code tx} commits.
   *
   * @throws StaleDeliveryException if the group was reset or deleted since the fetch, or the event
   *     was already acked through another delivery (roll the caller's transaction back)
   */
  public void ack(Transaction tx) {
    if (tx == null) {
      throw new InvalidArgumentException("transaction must not be null", Map.of("group", group));
    }
    EventKeys keys = consumers.keys;
    GroupState s = consumers.state(tx, group);
    if (s == null) {
      throw new StaleDeliveryException("the group was deleted");
    }
    if (generation >= 0) {
      if (AllLog.generation(tx, keys, group) != generation) {
        throw new StaleDeliveryException("the group was reset after this event was fetched");
      }
      byte[] marker = keys.consumerAck(group, position);
      if (s.checkpoint() > position || tx.get(marker) != null) {
        throw new StaleDeliveryException("the event was already acked through another delivery");
      }
      consumers.clearAckMarkersBelow(tx, group, s.checkpoint());
      tx.set(marker, new byte[0]);
    }
    tx.afterCommit(() -> batch.ackIfOpen(this));
  }

  /**
   * Not done: fails the batch in hand at once; it counts as a failed attempt (retried after the
   * backoff, dead-lettered at the max), and its events are handed over again one at a time.
   *
   * @throws StaleDeliveryException if the worker gave up on the batch
   */
  public void nack(String reason) {
    batch.nack(reason == null ? "nacked" : reason);
  }

  /** Marks this delivery settled; whether it was not before. Called under the batch's lock. */
  boolean markSettled() {
    if (settled) {
      return false;
    }
    settled = true;
    return true;
  }

  /** The failure recorded for a nacked delivery, or one not acked in time. */
  public static final class NackedException extends RuntimeException {
    NackedException(String reason) {
      super(reason);
    }
  }
}
