package io.tito.pubsub;

import io.tito.Transaction;
import java.util.List;

/**
 * Handles consecutive events of one partition inside the transaction that advances the group's
 * checkpoint past them: effects in the same store are applied exactly once. Failure handling is
 * that of {@link BatchEventHandler}; a failed batch's writes are rolled back.
 */
@FunctionalInterface
public interface TransactionalBatchHandler {
  void handle(Transaction tx, List<Event> events) throws Exception;
}
