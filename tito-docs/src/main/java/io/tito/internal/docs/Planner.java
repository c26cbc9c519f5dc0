package io.tito.internal.docs;

import io.tito.docs.DocIndex;
import io.tito.docs.Filter;
import io.tito.docs.Order;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses how to answer a query from the readable indexes: the index whose leading fields are
 * fixed by the most equality predicates ({@code eq} on a scalar field, {@code contains} on an
 * array field), then bounded by a range on the next field, then giving the requested order;
 * otherwise a scan of all documents. The whole filter is always re-applied to what is read.
 * Stateless.
 */
public final class Planner {

  private Planner() {}

  /** The plan for {@code filter} ordered by {@code orders} (empty: id order). */
  public static PlanSpec plan(List<DocIndex> readable, Filter filter, List<Order> orders) {
    List<Filter> conj = PlanSpec.conjuncts(filter);
    PlanSpec best = new PlanSpec(null, List.of(), -1, false, !orders.isEmpty());
    int bestScore = 0;
    for (DocIndex ix : readable) {
      List<Integer> eq = new ArrayList<>();
      for (int f = 0; f < ix.paths().size(); f++) {
        int c = findEquality(conj, ix, f);
        if (c < 0) {
          break;
        }
        eq.add(c);
      }
      int range = -1;
      if (eq.size() < ix.paths().size() && !ix.isArray(eq.size())) {
        range = findRange(conj, ix.path(eq.size()));
      }
      boolean ordered = servesOrder(ix, eq.size(), orders);
      int score = eq.size() * 4 + (range >= 0 ? 2 : 0) + (ordered ? 1 : 0);
      if (score > bestScore) {
        bestScore = score;
        boolean reverse = ordered && !orders.isEmpty() && orders.get(0).descending();
        best = new PlanSpec(ix, List.copyOf(eq), range, reverse, !ordered);
      }
    }
    return best;
  }

  private static boolean servesOrder(DocIndex ix, int eqCount, List<Order> orders) {
    for (int f = eqCount; f < ix.paths().size(); f++) {
      if (ix.isArray(f)) {
        return false; // a free array field gives one entry per element
      }
    }
    if (!PlanSpec.sameDirection(orders)) {
      return false;
    }
    int rest = ix.paths().size() - eqCount;
    if (orders.size() != rest) {
      return false; // entries are ordered by the remaining fields, then id
    }
    for (int i = 0; i < rest; i++) {
      if (!orders.get(i).path().equals(ix.path(eqCount + i))) {
        return false;
      }
    }
    return true;
  }

  private static int findEquality(List<Filter> conj, DocIndex ix, int field) {
    String path = ix.path(field);
    for (int i = 0; i < conj.size(); i++) {
      Filter c = conj.get(i);
      if (ix.isArray(field) ? c instanceof Filter.Contains k && k.path().equals(path)
          : c instanceof Filter.Compare cmp && cmp.op() == Filter.Op.EQ
              && cmp.path().equals(path)) {
        return i;
      }
    }
    return -1;
  }

  private static int findRange(List<Filter> conj, String path) {
    for (int i = 0; i < conj.size(); i++) {
      Filter c = conj.get(i);
      if (c instanceof Filter.Compare cmp && cmp.path().equals(path)
          && cmp.op() != Filter.Op.EQ && cmp.op() != Filter.Op.NE) {
        return i;
      }
      if (c instanceof Filter.Between b && b.path().equals(path)
          || c instanceof Filter.StartsWith s && s.path().equals(path)) {
        return i;
      }
    }
    return -1;
  }
}
