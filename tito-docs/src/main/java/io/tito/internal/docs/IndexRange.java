package io.tito.internal.docs;

import io.tito.data.Query;
import io.tito.docs.Filter;
import java.util.List;

/**
 * One range of an index: values of the leading fields and an optional bound on the next field.
 * Range bounds are clipped to the kind of the bound's value (strings, numbers, booleans sort in
 * separate bands of the tuple order), so {@code gt("age", 3)} reads numbers above 3 only, never
 * the booleans after them; a bound is {@link Bound#exact() exact} when the range holds exactly the
 * values the predicate matches. Immutable.
 *
 * @param equal the values of the leading index fields
 * @param bound the bound on the next field, or null
 */
public record IndexRange(List<Object> equal, Bound bound) {

  /** Below every double and above every string in tuple order (documents never index longs). */
  private static final Long BEFORE_NUMBERS = Long.MAX_VALUE;
  private static final Long AFTER_STRINGS = Long.MIN_VALUE;

  /**
   * A bound on one index field: a lower and/or upper value with inclusivity, or a string prefix.
   *
   * @param lower the lower value (when {@code hasLower})
   * @param upper the upper value (when {@code hasUpper})
   * @param prefix a string prefix, or null
   * @param exact whether the bounded values are exactly those the predicate matches
   */
  public record Bound(boolean hasLower, Object lower, boolean lowerInclusive, boolean hasUpper,
      Object upper, boolean upperInclusive, String prefix, boolean exact) {}

  /** Applies this range to a tito-data query on the index. */
  public <T> Query<T> apply(Query<T> q) {
    if (!equal.isEmpty()) {
      q.eq(equal.toArray());
    }
    if (bound != null) {
      if (bound.prefix() != null) {
        q.startsWith(bound.prefix());
      } else {
        if (bound.hasLower()) {
          if (bound.lowerInclusive()) {
            q.ge(bound.lower());
          } else {
            q.gt(bound.lower());
          }
        }
        if (bound.hasUpper()) {
          if (bound.upperInclusive()) {
            q.le(bound.upper());
          } else {
            q.lt(bound.upper());
          }
        }
      }
    }
    return q;
  }

  /** The bound a range predicate (compare, between, startsWith) puts on its field. */
  static Bound bound(Filter f) {
    if (f instanceof Filter.StartsWith s) {
      return new Bound(false, null, false, false, null, false, (String) s.prefix(), true);
    }
    if (f instanceof Filter.Between b) {
      boolean exact = b.from() != null && Values.sameKind(b.from(), b.to());
      return new Bound(true, b.from(), true, true, b.to(), true, null, exact);
    }
    Filter.Compare c = (Filter.Compare) f;
    Object v = c.value();
    boolean known = v != null;
    return switch (c.op()) {
      case GT, GE -> new Bound(true, v, c.op() == Filter.Op.GE, known, known ? kindEnd(v) : null,
          v instanceof Boolean, null, known);
      case LT, LE -> new Bound(known, known ? kindStart(v) : null, !(v instanceof Double), true, v,
          c.op() == Filter.Op.LE, null, known);
      default -> throw new IllegalArgumentException("not a range: " + f);
    };
  }

  /** The first value of {@code v}'s kind (inclusive, except numbers: exclusive). */
  private static Object kindStart(Object v) {
    if (v instanceof String) {
      return "";
    }
    return v instanceof Double ? BEFORE_NUMBERS : Boolean.FALSE;
  }

  /** The end of {@code v}'s kind (exclusive, except booleans: inclusive true). */
  private static Object kindEnd(Object v) {
    if (v instanceof String) {
      return AFTER_STRINGS;
    }
    return v instanceof Double ? Boolean.FALSE : Boolean.TRUE;
  }
}
