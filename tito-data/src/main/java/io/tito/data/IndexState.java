package io.tito.data;

/**
 * The life cycle of an index. Writes maintain an index in every state; only queries and counts
 * need {@link #READABLE}.
 */
public enum IndexState {
  /** Being built online: writes maintain it, queries fail until the build completes. */
  WRITE_ONLY,
  /** Complete and queryable. */
  READABLE
}
