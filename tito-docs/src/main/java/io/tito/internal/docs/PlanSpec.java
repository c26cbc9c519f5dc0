package io.tito.internal.docs;

import io.tito.docs.Filter;
import io.tito.docs.Order;
import io.tito.docs.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * A chosen plan: the index branches read (none: all documents in id order), the scan direction
 * and whether the matches must be sorted in memory. One branch with one range is a plain index
 * scan; several ranges (an {@code in} expanded on an index field, or the disjuncts of an
 * {@code or}) are merged in the requested order with duplicates removed, or, when a branch cannot
 * give that order, collected and sorted. Branches locate their predicates by position in the
 * filter tree, so the plan depends only on the query's shape and a compiled query reuses it with
 * other parameter values. A query that accepts any order may be <em>chained</em>: its ranges are
 * read one after another, each in its index order, and a document is returned by the first range
 * whose branch it matches (see {@link ChainCursor}).
 *
 * @param branches the index branches, empty for a scan of all documents
 * @param reverse whether index ranges are scanned backwards (a descending order)
 * @param sort whether the matches are collected and sorted in memory
 * @param chained whether the ranges are read one after another (an any-order query), neither
 *     merged nor sorted
 */
public record PlanSpec(List<Branch> branches, boolean reverse, boolean sort, boolean chained) {

  /** Copies the list. */
  public PlanSpec {
    branches = List.copyOf(branches);
  }

  /** A plan that is not chained. */
  public PlanSpec(List<Branch> branches, boolean reverse, boolean sort) {
    this(branches, reverse, sort, false);
  }

  /** Whether the plan reads all documents. */
  public boolean fullScan() {
    return branches.isEmpty();
  }

  /** Whether the plan is one index range read in order (a plain, streamed index scan). */
  public boolean single(Filter bound) {
    return branches.size() == 1 && !sort && branches.get(0).ranges(bound).size() == 1;
  }

  /** The public description of this plan for {@code filter}. */
  public Plan describe(Filter filter) {
    String residual = filter.toString();
    if (branches.isEmpty()) {
      return new Plan(null, List.of(), null, false, sort, residual, List.of(), 0, false, false);
    }
    boolean countable = IndexCount.covers(this, filter);
    if (branches.size() == 1) {
      Branch b = branches.get(0);
      return new Plan(b.index().name(), b.equalityPaths(), b.rangePath(), reverse, sort, residual,
          List.of(), b.rangeCount(filter), countable, chained);
    }
    List<Plan> parts = new ArrayList<>();
    int ranges = 0;
    for (Branch b : branches) {
      int n = b.rangeCount(filter);
      ranges += n;
      parts.add(new Plan(b.index().name(), b.equalityPaths(), b.rangePath(), reverse, false,
          residual, List.of(), n, false, false));
    }
    return new Plan(null, List.of(), null, reverse, sort, residual, parts, ranges, countable,
        chained);
  }

  /** The conjuncts of a filter: the parts of a (nested) and, or the filter itself. */
  public static List<Filter> conjuncts(Filter f) {
    List<Filter> out = new ArrayList<>();
    for (Node n : nodes(f, List.of())) {
      out.add(n.filter());
    }
    return out;
  }

  /** The conjuncts of {@code f} with their positions in the tree under {@code at}. */
  static List<Node> nodes(Filter f, List<Integer> at) {
    List<Node> out = new ArrayList<>();
    if (f instanceof Filter.And and) {
      for (int i = 0; i < and.parts().size(); i++) {
        out.addAll(nodes(and.parts().get(i), append(at, i)));
      }
    } else {
      out.add(new Node(f, at));
    }
    return out;
  }

  /** The node of {@code f} at position {@code at} (child indexes through and/or). */
  static Filter at(Filter f, List<Integer> at) {
    Filter n = f;
    for (int i : at) {
      n = n instanceof Filter.And a ? a.parts().get(i) : ((Filter.Or) n).parts().get(i);
    }
    return n;
  }

  static List<Integer> append(List<Integer> at, int i) {
    List<Integer> l = new ArrayList<>(at);
    l.add(i);
    return List.copyOf(l);
  }

  /** Whether the orders are all ascending or all descending (or empty). */
  static boolean sameDirection(List<Order> orders) {
    for (int i = 1; i < orders.size(); i++) {
      if (orders.get(i).descending() != orders.get(0).descending()) {
        return false;
      }
    }
    return true;
  }

  /** A conjunct and its position in the filter tree. */
  record Node(Filter filter, List<Integer> at) {}
}
