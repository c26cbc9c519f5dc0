package io.tito.data;

/**
 * What hydration does when a referenced record does not exist (or is soft-deleted).
 * The default everywhere is {@link #SKIP}.
 */
public enum MissingPolicy {
  /**
   * Leave it out: a single reference is not set (the field keeps what the value had, usually
   * null), a missing element of a collection is omitted from the hydrated list.
   */
  SKIP,
  /** Throw {@link io.tito.NotFoundException} naming the relationship and the missing id. */
  FAIL
}
