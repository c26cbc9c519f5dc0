package io.tito.internal.data;

import io.tito.Transaction;

/**
 * Keeps one index in step with the records of its model, inside the writing transaction. One
 * implementation per index kind (FoundationDB Record Layer style); every kind declared through
 * {@link io.tito.data.Index} is served by {@link ValueIndexMaintainer}. Thread-safe.
 *
 * @param <T> the model type
 */
public interface IndexMaintainer<T> {

  /**
   * Replaces the entries of {@code before} by those of {@code after} (either may be null for an
   * insert or a delete); entries present in both are left alone unless their value changed.
   *
   * @throws io.tito.AlreadyExistsException if a unique entry is held by another record
   */
  void update(Transaction tx, Object id, RecordState<T> before, RecordState<T> after);

  /** One side of a write: the decoded value, its stored form and raw bytes. */
  record RecordState<T>(T value, StoredRecord stored, byte[] raw) {}
}
