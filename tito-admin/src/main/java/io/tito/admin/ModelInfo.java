package io.tito.admin;

import io.tito.data.IndexState;
import java.util.Map;

/**
 * A model's table and the states of its indexes as stored (what every process sees). Immutable.
 *
 * @param table the table
 * @param registered whether this process registered the model (only then can it build indexes:
 *     building needs the model's definition)
 * @param indexes index name to stored state, sorted; an index the model declares but the store
 *     never registered shows as {@link IndexState#DISABLED}
 */
public record ModelInfo(String table, boolean registered, Map<String, IndexState> indexes) {

  /** Copies {@code indexes}. */
  public ModelInfo {
    indexes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(indexes));
  }
}
