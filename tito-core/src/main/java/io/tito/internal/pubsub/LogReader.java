package io.tito.internal.pubsub;

import io.tito.Transaction;
import java.util.List;

/**
 * An ordered log other than a topic partition's, consumed by the same consumer core: a {@link
 * Worker} started with one ({@link Subscriptions#subscribeLog}) reads the group's requeued entries
 * first and then this log from the group's checkpoint, instead of the topic's log; everything else
 * (membership, fenced leases, checkpoints, retries, dead letters, wake-ups on the topic's
 * partition) is unchanged. The event store's projections and subscriptions read {@code $all}
 * through it. The seam exists for {@code io.tito.events} only (a qualified export).
 *
 * <p>Contract: positions are non-negative and strictly increasing in read order, and the log never
 * later shows an entry below a position a reader has already seen (the group's checkpoint is the
 * next position to read; it moves to an item's position + 1). Entries are stored events in {@link
 * EventCodec} form. A reader has no scheduled events. Implementations must be thread-safe.
 */
public interface LogReader {

  /**
   * One log entry.
   *
   * @param position its position in the log
   * @param event the event in {@link EventCodec} form
   */
  record Entry(long position, byte[] event) {}

  /** At most {@code limit} entries at or after {@code from}, in position order, read in {@code tx}. */
  List<Entry> read(Transaction tx, long from, int limit);

  /**
   * What {@link #read} returns, and whether entries after them exist that are not readable yet
   * ({@code held}: the log may not show them until entries below them, still being committed, are
   * there; the consumer then looks again soon instead of waiting for a wake-up, since the commit
   * that makes them readable may wake nobody). The default reads and says {@code false}.
   */
  default Batch readBatch(Transaction tx, long from, int limit) {
    return new Batch(read(tx, from, limit), false);
  }

  /** Called first in each fetch transaction, before anything is read in it. The default does nothing. */
  default void beforeReads(Transaction tx) {}

  /**
   * Entries of one read.
   *
   * @param entries in position order
   * @param held whether entries after them exist that are not readable yet
   */
  record Batch(List<Entry> entries, boolean held) {}
}
