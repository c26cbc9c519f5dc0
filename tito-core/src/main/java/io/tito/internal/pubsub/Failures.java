package io.tito.internal.pubsub;

import io.tito.Backoff;
import io.tito.Transaction;
import io.tito.pubsub.Event;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens after a handler failed on an item: its attempt is counted in the item's own counter
 * and it is retried after the {@link Backoff}, or, at the max attempts, dead-lettered (written to
 * the group's dead letters and consumed). Undecodable stored events are dead-lettered at once.
 * Holds no mutable state; the decision itself is {@link #decide}.
 */
final class Failures {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  /** What to do after a counted failure. */
  sealed interface Decision {}

  /** Try again, not before {@code atMillis}. */
  record Retry(long atMillis) implements Decision {}

  /** Give up: dead-letter the item. */
  record GiveUp() implements Decision {}

  private final int maxAttempts;
  private final Backoff backoff;
  private final LongSupplier clock;
  private final DeadLetters deadLetters;
  private final Checkpoints checkpoints;
  private final String topic;
  private final String group;
  private final int partition;

  Failures(int maxAttempts, Backoff backoff, LongSupplier clock, DeadLetters deadLetters,
      Checkpoints checkpoints, String topic, String group, int partition) {
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.clock = clock;
    this.deadLetters = deadLetters;
    this.checkpoints = checkpoints;
    this.topic = topic;
    this.group = group;
    this.partition = partition;
  }

  /**
   * The decision after the {@code attempts}-th failed attempt (counting this one): give up once it
   * reaches the max attempts, else retry after the backoff for that many failures.
   */
  Decision decide(int attempts) {
    if (attempts >= maxAttempts) {
      return new GiveUp();
    }
    return new Retry(clock.getAsLong() + backoff.delayNanos(attempts) / 1_000_000);
  }

  /**
   * Counts a failed attempt of {@code item} in {@code tx} (which passed the fence and read
   * {@code s}) and retries or dead-letters it; does nothing if the item was consumed meanwhile.
   */
  void record(Transaction tx, GroupState s, Item item, Event event, Throwable failure) {
    int before = checkpoints.attempts(tx, s, item);
    if (before < 0) {
      return;
    }
    int attempts = before + 1;
    String error = String.valueOf(failure);
    switch (decide(attempts)) {
      case GiveUp g -> {
        log.warn("event dead-lettered after {} attempts {} {}", attempts, this, event, failure);
        deadLetter(tx, s, item, event.id(), error, attempts);
      }
      case Retry r -> {
        log.debug("handler failed, attempt {} {} {}", attempts, this, event, failure);
        checkpoints.countFailure(tx, s, item, r.atMillis(), error);
      }
    }
  }

  /** Dead-letters an item whose stored bytes cannot be decoded, without counting attempts. */
  void undecodable(Transaction tx, GroupState s, Item item, RuntimeException e) {
    UUID id = item.requeued() ? item.requeueId() : Ids.forPosition(topic, partition, item.position());
    deadLetter(tx, s, item, id, "undecodable event: " + e, 0);
  }

  private void deadLetter(Transaction tx, GroupState s, Item item, UUID id, String error, int attempts) {
    deadLetters.write(tx, topic, group, partition, item.position(), id, item.bytes(), error, attempts);
    checkpoints.advance(tx, s, List.of(item));
  }

  @Override
  public String toString() {
    return "[topic=" + topic + " group=" + group + " partition=" + partition + "]";
  }
}
