package io.tito.log;

import io.tito.Transaction;

/**
 * Processes one record inside a Tito transaction. Its writes commit together with the consumer's
 * checkpoint on {@link Outcome#COMMIT} (the checkpoint alone on {@link Outcome#SKIP}) and are
 * rolled back on {@link Outcome#RETRY} and {@link Outcome#BREAK}. It may run more than once for
 * one attempt (the store retries conflicting transactions): keep other side effects out of it.
 */
@FunctionalInterface
public interface StoreRecordProcessor {

  /** @param attempt 1 for the first offer of this record, then 2, 3, ... after each RETRY */
  Outcome process(Transaction tx, LogRecord record, int attempt);
}
