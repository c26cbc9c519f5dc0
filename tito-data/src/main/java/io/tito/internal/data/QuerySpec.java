package io.tito.internal.data;

import io.tito.data.MissingPolicy;
import java.util.List;
import java.util.function.Predicate;

/**
 * Everything a query asks for, immutable. {@code index} is null for a full table scan. A bound is
 * present when its flag {@code hasLower}/{@code hasUpper} is set (its value may be null, which
 * the tuple layer sorts first); {@code prefix} is a starts-with string or null; {@code seek} is
 * a keyset position (values of the fields after the equality values, optionally then the id) the
 * scan starts at, or null.
 */
public record QuerySpec<T>(String index, List<Object> equal, boolean hasLower, Object lower,
    boolean lowerInclusive, boolean hasUpper, Object upper, boolean upperInclusive, String prefix,
    boolean reverse, int limit, int maxScan, Predicate<T> filter, boolean includeDeleted,
    List<String> hydrate, MissingPolicy missing, String continuation, List<Object> seek) {

  /** Whether the query ranges over the field after the equality fields. */
  public boolean hasRange() {
    return hasLower || hasUpper || prefix != null;
  }
}
