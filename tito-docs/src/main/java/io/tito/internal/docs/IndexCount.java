package io.tito.internal.docs;

import io.tito.docs.DocIndex;
import io.tito.docs.Filter;
import io.tito.docs.Param;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a plan's index ranges hold exactly the matching documents, one entry each, so
 * that {@code count()} can count index entries without reading a document: one branch, every
 * conjunct used as an equality ({@code eq}, {@code in}, {@code contains}) or as the exact range,
 * and no free array field after the fixed ones (which would give one entry per element). In
 * values are distinct, so the ranges are disjoint. Stateless.
 */
final class IndexCount {

  private IndexCount() {}

  /** Whether {@code plan} can count {@code filter}'s matches from its index alone. */
  static boolean covers(PlanSpec plan, Filter filter) {
    if (plan.branches().size() != 1) {
      return false;
    }
    Branch b = plan.branches().get(0);
    DocIndex ix = b.index();
    for (int f = b.equalities().size(); f < ix.paths().size(); f++) {
      if (ix.isArray(f)) {
        return false;
      }
    }
    Set<List<Integer>> used = new HashSet<>(b.equalities());
    if (b.range() != null) {
      if (!exactRange(PlanSpec.at(filter, b.range()))) {
        return false;
      }
      used.add(b.range());
    }
    return used.containsAll(b.conjuncts());
  }

  private static boolean exactRange(Filter f) {
    if (f instanceof Filter.StartsWith) {
      return true;
    }
    if (f instanceof Filter.Between b) {
      return b.from() != null && b.to() != null && (b.from() instanceof Param
          || b.to() instanceof Param || Values.sameKind(b.from(), b.to()));
    }
    return f instanceof Filter.Compare c && c.value() != null;
  }
}
