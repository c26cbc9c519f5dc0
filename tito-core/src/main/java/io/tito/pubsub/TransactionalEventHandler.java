package io.tito.pubsub;

import io.tito.Transaction;

/**
 * Handles events inside the transaction that advances the group's checkpoint: the handler's
 * writes to the same store and the checkpoint commit together, so each event's effects are
 * applied exactly once. The function may run more than once per event (transaction retries,
 * failed attempts), but only one run commits; keep other side effects out, or use
 * {@link Transaction#afterCommit}.
 *
 * <p>Throwing anything rolls back the handler's writes and counts as a failed attempt.
 */
@FunctionalInterface
public interface TransactionalEventHandler {
  void handle(Transaction tx, Event event) throws Exception;
}
