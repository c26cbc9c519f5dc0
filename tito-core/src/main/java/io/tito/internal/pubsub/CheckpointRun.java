package io.tito.internal.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The items a plain per-event handler has handled in one partition whose checkpoint is not yet
 * committed: the runner commits them together ({@link Checkpoints#advanceRun}) once they are
 * {@linkplain #full() full} (the count bound, or the delay since the first of them), before a
 * failure or dead letter is recorded, at the end of a fetch that handed over a requeued entry,
 * and when the runner stops; a run of log events stays open across fetches meanwhile (the next
 * fetch reads the log from {@link #handledUntil()}). Not thread-safe: one runner uses it; what a
 * handler-timeout hand-over passes on is a {@link #snapshot()}.
 */
final class CheckpointRun {

  private final int maxItems;
  private final long maxDelayNanos;
  private final LongSupplier nanoClock;
  private final List<Item> items = new ArrayList<>();
  private long firstAtNanos;

  /**
   * @param maxItems the most items committed together (1: every item on its own)
   * @param maxDelayNanos how long the first item may wait
   * @param nanoClock a monotonic clock in nanoseconds
   */
  CheckpointRun(int maxItems, long maxDelayNanos, LongSupplier nanoClock) {
    this.maxItems = maxItems;
    this.maxDelayNanos = maxDelayNanos;
    this.nanoClock = nanoClock;
  }

  /** Adds an item its handler succeeded on. */
  void add(Item item) {
    if (items.isEmpty()) {
      firstAtNanos = nanoClock.getAsLong();
    }
    items.add(item);
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  /** Whether the run must be committed now: as many items as allowed, or the first waited long enough. */
  boolean full() {
    return !items.isEmpty()
        && (items.size() >= maxItems || nanoClock.getAsLong() - firstAtNanos >= maxDelayNanos);
  }

  /**
   * The log position after the last log event of the run, from which the next fetch reads the
   * log; -1 if the run holds none.
   */
  long handledUntil() {
    for (int i = items.size() - 1; i >= 0; i--) {
      if (!items.get(i).requeued()) {
        return items.get(i).position() + 1;
      }
    }
    return -1;
  }

  /** Whether the run holds a requeued entry (a fetch would find it again until committed). */
  boolean hasRequeued() {
    for (Item item : items) {
      if (item.requeued()) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code waitMillis} shortened, for a run not yet full, to when the delay of its first item runs
   * out (at least 1 ms); unchanged for an empty run.
   */
  long boundWait(long waitMillis) {
    if (items.isEmpty()) {
      return waitMillis;
    }
    long leftNanos = maxDelayNanos - (nanoClock.getAsLong() - firstAtNanos);
    long leftMillis = Math.max(1, (leftNanos + 999_999) / 1_000_000);
    return waitMillis <= 0 ? waitMillis : Math.min(waitMillis, leftMillis);
  }

  /** A copy of the items, in the order they were handled. */
  List<Item> snapshot() {
    return List.copyOf(items);
  }

  /** Forgets the items (committed, handed over, or left to be redelivered). */
  void clear() {
    items.clear();
  }
}
