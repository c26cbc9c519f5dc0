package io.tito.events;

import io.tito.Transaction;

/**
 * A named fold of {@code $all} (or of a {@linkplain #filter filtered view}) into a read model.
 * {@link #apply} runs in the transaction that also moves the projection's checkpoint past the
 * event, so each event's read-model writes commit exactly once in the store: a crash, a lost lease
 * or a retry either commits both or neither. Run it with {@link Projections}.
 */
public interface Projection {

  /** The projection's name: 1 to 256 chars, its identity across processes and restarts. */
  String name();

  /** The events it sees (default: every event). Filtered-out events move the checkpoint only. */
  default EventFilter filter() {
    return EventFilter.ALL;
  }

  /**
   * Folds one event into the read model, writing through {@code tx} only (writes elsewhere are
   * not exactly once). A thrown exception rolls the transaction back and counts as a failed
   * attempt: the event is retried after the backoff and dead-lettered at the max attempts.
   */
  void apply(Transaction tx, RecordedEvent event) throws Exception;

  /**
   * Clears the read model, in the transaction that also resets the checkpoint to the beginning
   * ({@link Projections#rebuild}). Default: nothing (a read model that {@link #apply} overwrites
   * key by key). It must fit in one transaction of the engine.
   */
  default void clear(Transaction tx) throws Exception {}
}
