package io.tito.data;

/**
 * One write to a model's record, as given to {@link WriteHook}s. Immutable; valid beyond the
 * transaction (the values are decoded copies).
 *
 * @param table the model's table
 * @param id the record id
 * @param kind what happened
 * @param before the record before the write, or null if it did not exist
 * @param after the record after the write, or null if it was deleted (hard)
 */
public record RecordChange(String table, Object id, Kind kind, Versioned<?> before,
    Versioned<?> after) {

  /** Kinds of writes. */
  public enum Kind { INSERT, UPDATE, PATCH, SOFT_DELETE, RESTORE, DELETE }
}
