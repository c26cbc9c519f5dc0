package io.tito.internal.docs;

import io.tito.docs.DocIndex;
import io.tito.docs.Filter;
import io.tito.docs.Order;
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

  private static final char PAGE = 'P';
  private static final char ANY_ORDER = 'A';
  private static final char COUNT = 'C';

  /**
   * A query's shape as one string (hashed and compared in one pass each), and the readable
   * indexes, compared by identity (the collection's own {@link DocIndex} objects; an equal list of
   * other objects only misses).
   */
  private static final class Key {
    private final String shape;
    private final List<DocIndex> readable;
    private final int hash;

    Key(String shape, List<DocIndex> readable) {
      this.shape = shape;
      this.readable = readable;
      int h = shape.hashCode();
      for (DocIndex ix : readable) {
        h = h * 31 + System.identityHashCode(ix);
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key k) || k.hash != hash || !k.shape.equals(shape)
          || k.readable.size() != readable.size()) {
        return false;
      }
      for (int i = 0; i < readable.size(); i++) {
        if (k.readable.get(i) != readable.get(i)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private final ConcurrentHashMap<Key, PlanSpec> plans = new ConcurrentHashMap<>();
  private final AtomicLong made = new AtomicLong();

  /** {@link Planner#plan}, cached by shape. */
  public PlanSpec plan(List<DocIndex> readable, Filter filter, List<Order> orders) {
    return get(new Key(shape(PAGE, filter, orders), readable),
        () -> Planner.plan(readable, filter, orders));
  }

  /** {@link Planner#planAnyOrder}, cached by shape. */
  public PlanSpec planAnyOrder(List<DocIndex> readable, Filter filter) {
    return get(new Key(shape(ANY_ORDER, filter, List.of()), readable),
        () -> Planner.planAnyOrder(readable, filter));
  }

  /** {@link Planner#planCount}, cached by shape. */
  public PlanSpec planCount(List<DocIndex> readable, Filter filter) {
    return get(new Key(shape(COUNT, filter, List.of()), readable),
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

  /**
   * What the planner sees of a query: the kind of plan, the filter without its values (an in's
   * number of distinct values kept) and the order. Paths are written with their length, so no
   * two shapes give the same string.
   */
  static String shape(char kind, Filter f, List<Order> orders) {
    StringBuilder b = new StringBuilder(64).append(kind);
    shape(b, f);
    for (Order o : orders) {
      path(b.append(o.descending() ? '-' : '+'), o.path());
    }
    return b.toString();
  }

  private static void shape(StringBuilder b, Filter f) {
    switch (f) {
      case Filter.Compare c -> path(b.append('=').append(c.op().ordinal()), c.path());
      case Filter.Between x -> path(b.append('b'), x.path());
      case Filter.In in -> path(b.append('i').append(Branch.values(in).size()), in.path());
      case Filter.Exists e -> path(b.append('e'), e.path());
      case Filter.StartsWith s -> path(b.append('s'), s.path());
      case Filter.Contains k -> path(b.append('k'), k.path());
      case Filter.And a -> parts(b.append('&'), a.parts());
      case Filter.Or o -> parts(b.append('|'), o.parts());
      case Filter.Not n -> shape(b.append('!'), n.part());
    }
  }

  private static void parts(StringBuilder b, List<Filter> parts) {
    b.append(parts.size()).append('(');
    for (Filter p : parts) {
      shape(b, p);
    }
    b.append(')');
  }

  private static void path(StringBuilder b, String path) {
    b.append(path.length()).append(':').append(path);
  }
}
