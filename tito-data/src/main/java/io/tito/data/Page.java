package io.tito.data;

import java.util.List;

/**
 * One page of query results. Immutable (the item list is a copy); thread-safe when the values are.
 *
 * @param items the records, in index order (or reverse index order)
 * @param continuation an opaque token that resumes the same query exactly after the last row this
 *     page scanned (pass it to {@link Query#after}); null when the query is exhausted
 * @param scanned how many index entries (or records, for a full scan) this page read, including
 *     rows dropped by the residual filter or because they are soft-deleted
 * @param <T> the model type
 */
public record Page<T>(List<Versioned<T>> items, String continuation, int scanned) {

  public Page {
    items = List.copyOf(items);
  }

  /** Whether more rows may follow ({@code continuation != null}). */
  public boolean hasMore() {
    return continuation != null;
  }

  /** The values without metadata. */
  public List<T> values() {
    return items.stream().map(Versioned::value).toList();
  }
}
