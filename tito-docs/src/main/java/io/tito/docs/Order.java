package io.tito.docs;

import io.tito.internal.docs.JsonPaths;

/**
 * One sort key of a query: a document path, ascending or descending. Values sort in the order
 * described in {@link Filter} (missing and null first when ascending); ties between documents
 * are broken by id, in the direction of the query's last sort key.
 *
 * @param path a dotted path
 * @param descending true for descending
 */
public record Order(String path, boolean descending) {

  /** Validates the path. */
  public Order {
    JsonPaths.segments(path);
  }

  /** Ascending on {@code path}. */
  public static Order asc(String path) {
    return new Order(path, false);
  }

  /** Descending on {@code path}. */
  public static Order desc(String path) {
    return new Order(path, true);
  }

  @Override
  public String toString() {
    return path + (descending ? " desc" : " asc");
  }
}
