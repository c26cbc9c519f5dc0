package io.tito.data;

/**
 * The life cycle of an index: DISABLED (declared by this process's model, not registered in the
 * store), then WRITE_ONLY, then READABLE. Writes maintain WRITE_ONLY and READABLE indexes; only
 * queries and counts need {@link #READABLE}.
 */
public enum IndexState {
  /**
   * Declared but not registered in the store (see {@link DataStore.Builder#registerNewIndexes}):
   * writes do not maintain it, queries fail; {@link ModelStore#buildIndex} registers and builds it.
   */
  DISABLED,
  /** Being built online: writes maintain it, queries fail until the build completes. */
  WRITE_ONLY,
  /** Complete and queryable. */
  READABLE
}
