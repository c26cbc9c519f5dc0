package io.tito.internal.pubsub;

import io.tito.Transaction;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Work at the start of a transaction that reads a few keys first: whoever runs it may read them
 * together with its own first read (one round trip on a SQL engine) and pass their values, or
 * let {@link #run(Transaction)} read them. A release's fence (lease and group state) goes with the
 * release's due scan this way.
 *
 * @param keys the keys to read first
 * @param body the work, given the transaction and the keys' values in order (null where absent)
 * @param <T> what the work returns
 */
record StartReads<T>(List<byte[]> keys, BiFunction<Transaction, List<byte[]>, T> body) {

  /** Reads the keys in {@code tx}, then runs the work. */
  T run(Transaction tx) {
    return body.apply(tx, tx.getAll(keys));
  }

  /** Runs the work with values already read in {@code tx}. */
  T run(Transaction tx, List<byte[]> values) {
    return body.apply(tx, values);
  }
}
