package io.tito.internal.docs;

import io.tito.docs.DocIndex;
import io.tito.docs.Filter;
import io.tito.docs.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The {@link Planner}'s plans of one collection by query shape, so that a query asked again with
 * other values is not planned again. A plan depends only on the shape (branches locate their
 * predicates by position in the filter tree; {@link io.tito.docs.CompiledQuery} relies on the
 * same): the tree of and/or/not, each predicate's kind, path and operator, and for an {@code in}
 * its number of distinct values (which decides its ranges and the range budget), never on the
 * other values. The key also holds the order, the kind of plan (ordered page, any-order page,
 * count) and the readable indexes, so a plan made before an index became readable is not reused
 * after. At most {@link #MAX_PLANS} shapes; past that the cache starts empty again. Thread-safe.
 */
public final class PlanCache {

  /** Most shapes kept. */
  static final int MAX_PLANS = 256;

  private enum Kind {
    PAGE, ANY_ORDER, COUNT
  }

  private record Key(Kind kind, Object shape, List<Order> orders, List<DocIndex> readable) {}

  private final ConcurrentHashMap<Key, PlanSpec> plans = new ConcurrentHashMap<>();
  private final AtomicLong made = new AtomicLong();

  /** {@link Planner#plan}, cached by shape. */
  public PlanSpec plan(List<DocIndex> readable, Filter filter, List<Order> orders) {
    return get(new Key(Kind.PAGE, shape(filter), orders, readable),
        () -> Planner.plan(readable, filter, orders));
  }

  /** {@link Planner#planAnyOrder}, cached by shape. */
  public PlanSpec planAnyOrder(List<DocIndex> readable, Filter filter) {
    return get(new Key(Kind.ANY_ORDER, shape(filter), List.of(), readable),
        () -> Planner.planAnyOrder(readable, filter));
  }

  /** {@link Planner#planCount}, cached by shape. */
  public PlanSpec planCount(List<DocIndex> readable, Filter filter) {
    return get(new Key(Kind.COUNT, shape(filter), List.of(), readable),
        () -> Planner.planCount(readable, filter));
  }

  /** Plans made so far (cache misses). */
  public long made() {
    return made.get();
  }

  private PlanSpec get(Key key, Supplier<PlanSpec> planner) {
    PlanSpec p = plans.get(key);
    if (p == null) {
      p = planner.get();
      made.incrementAndGet();
      if (plans.size() >= MAX_PLANS) {
        plans.clear();
      }
      plans.put(key, p);
    }
    return p;
  }

  /** What the planner sees of {@code f}: everything but the values (an in's distinct count). */
  static Object shape(Filter f) {
    return switch (f) {
      case Filter.Compare c -> List.of("=", c.op(), c.path());
      case Filter.Between b -> List.of("between", b.path());
      case Filter.In in -> List.of("in", in.path(), Branch.values(in).size());
      case Filter.Exists e -> List.of("exists", e.path());
      case Filter.StartsWith s -> List.of("startsWith", s.path());
      case Filter.Contains k -> List.of("contains", k.path());
      case Filter.And a -> List.of("and", shapes(a.parts()));
      case Filter.Or o -> List.of("or", shapes(o.parts()));
      case Filter.Not n -> List.of("not", shape(n.part()));
    };
  }

  private static List<Object> shapes(List<Filter> parts) {
    List<Object> out = new ArrayList<>(parts.size());
    for (Filter p : parts) {
      out.add(shape(p));
    }
    return out;
  }
}
