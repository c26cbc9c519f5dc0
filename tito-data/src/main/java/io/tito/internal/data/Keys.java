package io.tito.internal.data;

import io.tito.tuple.Subspace;

/**
 * The key layout of the data layer under a store's root:
 * {@code (root, "t", table, id)} records, {@code (root, "i", table, index, v1..vn, id)} index
 * entries (unique entries without the id), {@code (root, "m", "index", table, index)} index state,
 * {@code (root, "m", "table", table)} the table's header ({@link TableHeader}).
 * Immutable and thread-safe.
 */
public final class Keys {

  private final Subspace root;

  public Keys(Subspace root) {
    this.root = root;
  }

  /** Records of {@code table}, keyed by {@code (id)}. */
  public Subspace records(String table) {
    return root.subspace("t", table);
  }

  /** Entries of one index, keyed by {@code (v1, ..., vn[, id])}. */
  public Subspace index(String table, String index) {
    return root.subspace("i", table, index);
  }

  /** The state keys of every index of {@code table}, keyed by {@code (index)}. */
  public Subspace indexStates(String table) {
    return root.subspace("m", "index", table);
  }

  /** The recorded definitions of every index of {@code table}, keyed by {@code (index)}. */
  public Subspace indexDefinitions(String table) {
    return root.subspace("m", "indexdef", table);
  }

  /** The recorded definition key of one index. */
  public byte[] indexDefinition(String table, String index) {
    return root.pack("m", "indexdef", table, index);
  }

  /** The header key of {@code table}. */
  public byte[] tableHeader(String table) {
    return root.pack("m", "table", table);
  }

  /** The state key of one index. */
  public byte[] indexState(String table, String index) {
    return root.pack("m", "index", table, index);
  }
}
