package io.tito.data;

import java.time.Instant;

/**
 * A record as stored: the value with its id, version and timestamps. Immutable (the value is
 * as mutable as the model type); safe to share across threads when the value is.
 *
 * @param value the decoded value (after hydration, if asked)
 * @param id the record id, as normalised by the tuple layer (integers are {@code Long})
 * @param version starts at 1 on insert and grows by one on every write (update, save, patch, soft
 *     delete, restore); a hard delete forgets it, so a re-inserted id starts at 1 again
 * @param createdAt when the record was inserted, or null if the model has no timestamps
 * @param updatedAt when the record was last written, or null if the model has no timestamps
 * @param deleted whether the record is soft-deleted (only returned when deleted rows are asked for)
 * @param <T> the model type
 */
public record Versioned<T>(T value, Object id, long version, Instant createdAt, Instant updatedAt,
    boolean deleted) {

  /** The same metadata with another value (used by hydration). */
  public Versioned<T> withValue(T newValue) {
    return new Versioned<>(newValue, id, version, createdAt, updatedAt, deleted);
  }
}
