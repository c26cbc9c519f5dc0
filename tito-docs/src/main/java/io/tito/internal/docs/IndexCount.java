package io.tito.internal.docs;

import io.tito.docs.DocIndex;
import io.tito.docs.Filter;
import io.tito.docs.Param;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a plan's index ranges hold exactly the matching documents, so that
 * {@code count()} can count without reading a document. One branch: every conjunct used as an
 * equality ({@code eq}, {@code in}, {@code contains}) or as the exact range, and no free array
 * field after the fixed ones (which would give one entry per element); in values are distinct, so
 * the ranges are disjoint and entries are counted. A union: every branch exact in that sense (free
 * array fields allowed); its ranges overlap, so the distinct ids of their entries are counted.
 * Stateless.
 */
final class IndexCount {

  private IndexCount() {}

  /**
   * Whether {@code plan} can count {@code filter}'s matches from its indexes alone: one branch
   * counted by entries (below), or a union of branches whose ranges each hold exactly the matches
   * of the branch's conjuncts, counted as distinct ids ({@link #union}).
   */
  static boolean covers(PlanSpec plan, Filter filter) {
    return single(plan, filter) || union(plan, filter);
  }

  /**
   * Whether a union's matches are the distinct ids of its branches' entries: every branch exact.
   * The branches are the terms of the filter's disjunction (each the other conjuncts and one
   * disjunct), so a document matches exactly when some branch holds it.
   */
  static boolean union(PlanSpec plan, Filter filter) {
    return plan.branches().size() > 1
        && plan.branches().stream().allMatch(b -> exact(b, filter));
  }

  /** Whether a one-branch plan's matches are its entries, one each. */
  static boolean single(PlanSpec plan, Filter filter) {
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
    return exact(b, filter);
  }

  /**
   * Whether the ranges of {@code b} hold only documents matching every conjunct of the branch:
   * each is used as an equality or as an exact range (so a residual test of the branch's part of
   * the filter cannot drop a document read from them).
   */
  static boolean exact(Branch b, Filter filter) {
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
