package io.tito.internal.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The items a plain per-event handler has handled in one partition whose checkpoint is not yet
 * committed: the runner commits them together ({@link Checkpoints#advanceRun}) once they are
 * {@linkplain #full() full} (the count bound, or the delay since the first of them), at the end
 * of a fetch, and before a failure is counted. Not thread-safe: one runner uses it; what a
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

  /** A copy of the items, in the order they were handled. */
  List<Item> snapshot() {
    return List.copyOf(items);
  }

  /** Forgets the items (committed, handed over, or left to be redelivered). */
  void clear() {
    items.clear();
  }
}
