package io.tito.internal.docs;

import io.tito.docs.DocIndex;
import io.tito.docs.Filter;
import io.tito.docs.Order;
import io.tito.docs.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * A chosen plan: the index (null: all documents in id order), the positions of the conjuncts that
 * give the equality values of its leading fields, the conjunct bounding the next field (or -1),
 * the scan direction and whether the matches must be sorted in memory. Depends only on the
 * query's shape, so a compiled query reuses it with other parameter values.
 */
public record PlanSpec(DocIndex index, List<Integer> equalities, int range, boolean reverse,
    boolean sort) {

  /** The public description of this plan for {@code filter}. */
  public Plan describe(Filter filter) {
    List<String> eq = new ArrayList<>();
    for (int i = 0; i < equalities.size(); i++) {
      eq.add(index.paths().get(i));
    }
    String r = range < 0 ? null : index.path(equalities.size());
    return new Plan(index == null ? null : index.name(), eq, r, reverse, sort, filter.toString());
  }

  /** The conjuncts of a filter: the parts of a (nested) and, or the filter itself. */
  public static List<Filter> conjuncts(Filter f) {
    List<Filter> out = new ArrayList<>();
    if (f instanceof Filter.And and) {
      for (Filter p : and.parts()) {
        out.addAll(conjuncts(p));
      }
    } else {
      out.add(f);
    }
    return out;
  }

  /** Whether the orders are all ascending or all descending (or empty). */
  static boolean sameDirection(List<Order> orders) {
    return orders.stream().map(Order::descending).distinct().count() <= 1;
  }
}
