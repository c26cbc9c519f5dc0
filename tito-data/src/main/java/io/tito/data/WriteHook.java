package io.tito.data;

import io.tito.Transaction;

/**
 * Called inside the writing transaction after every record write (the seam through which models
 * will publish events to the outbox). Whatever the hook writes through {@code tx} commits or rolls
 * back with the record. Hooks run in registration order on the writing thread and may run again
 * when the transaction is retried; an exception from a hook aborts the write.
 *
 * <p>Implementations must be thread-safe: one hook serves every transaction.
 */
@FunctionalInterface
public interface WriteHook {

  /** Reacts to {@code change} within {@code tx}. */
  void onWrite(Transaction tx, RecordChange change);
}
