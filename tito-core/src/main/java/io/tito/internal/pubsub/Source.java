package io.tito.internal.pubsub;

import io.tito.Transaction;
import java.time.Instant;
import java.util.List;

/**
 * Where a consumer's events come from, apart from who owns the partition (the {@link
 * PartitionLease}), how they are handled ({@link Invocation}) and how progress is saved ({@link
 * Checkpoints}). The partition runner loop "fetch, check the epoch, handle, save the checkpoint,
 * retry or dead-letter" runs over any source: pub/sub reads a partition's requeued entries and
 * log ({@link PartitionSource}); a projection or relay would read another ordered log from its own
 * checkpoint. Not thread-safe: one runner uses it.
 */
interface Source {

  /**
   * What one fetch read in one read transaction.
   *
   * @param state the consumer's state (checkpoint, attempts, epoch) as read with the items
   * @param items the next items to hand over, in order (at most the fetch size)
   * @param dueNow whether scheduled events were due at the fetch (the runner releases them before
   *     its next fetch)
   * @param nextDue the earliest due time of a scheduled event, or null
   * @param drained whether the read found everything there was: no requeued entry, and the log
   *     ended before the fetch size (handling {@code items} then leaves nothing to fetch until a
   *     wake-up, so the runner waits for one instead of fetching again at once)
   */
  record Fetch(GroupState state, List<Item> items, boolean dueNow, Instant nextDue, boolean drained) {}

  /** Reads the next items after the consumer's checkpoint, in one read transaction. */
  default Fetch fetch(Instant now) {
    return fetch(now, -1);
  }

  /**
   * Reads the next items after the consumer's checkpoint, in one read transaction, the log from
   * {@code handledUntil} on if that is past the checkpoint: the log events before it were handled
   * and their checkpoint is not committed yet (a {@link CheckpointRun}); -1 for none.
   */
  Fetch fetch(Instant now, long handledUntil);

  /**
   * Called once the {@link Fetch#nextDue} of the last fetch (whose epoch the runner checked: it
   * owned the partition) has come, before the next fetch: releases due scheduled events into the
   * log, in its own transaction, so that the fetch after it reads them.
   */
  default void releaseDue() {
    releaseDue(null);
  }

  /**
   * Like {@link #releaseDue()}, running {@code first} (null: none) at the start of the release's
   * transaction, its reads with the release's first: the runner's fence and checkpoint of what it
   * handled then cost no commit and no round trip of their own. A source without scheduled events
   * runs {@code first} in a transaction alone.
   */
  void releaseDue(StartReads<?> first);

  /**
   * The runner handed over the log events before {@code next} without reading them here (local
   * publishes): the next fetch's log read probably starts there.
   */
  default void handedOver(long next) {}

  /** Whether this source has scheduled events to release (the topic's log has; a {@link LogReader}'s has none). */
  default boolean hasScheduled() {
    return false;
  }

  /**
   * Like {@link #releaseDue(StartReads)}, where {@code first} also returns the consumer's state as
   * it commits it (fenced: it throws {@link Fenced} unless the runner owns the partition); if the
   * release moved events into the log at exactly the positions from {@code expectNext} on (the
   * runner read and handled everything before them, and no wake-up since told of other work),
   * returns them as a {@link Fetch} of that state, {@link Fetch#drained() drained}, whose next due
   * time is the release's: no read transaction is needed to hand them over. Else null (moved
   * nothing, the log had other events first, or a periodic rescan is due): the caller fetches.
   */
  default Fetch releaseAndRead(StartReads<GroupState> first, long expectNext) {
    releaseDue(first);
    return null;
  }
}
