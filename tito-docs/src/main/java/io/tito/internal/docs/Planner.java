package io.tito.internal.docs;

import io.tito.docs.DocIndex;
import io.tito.docs.Filter;
import io.tito.docs.Order;
import io.tito.internal.docs.PlanSpec.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses how to answer a query from the readable indexes. For one list of conjuncts, the best
 * index is the one whose leading fields are fixed by the most equality-like predicates ({@code eq}
 * on a scalar field, {@code contains} on an array field, {@code in} on a scalar field, which
 * expands into one range per value), then bounded by a range on the next field, then giving the
 * requested order. An {@code or} among the conjuncts whose every disjunct (with the other
 * conjuncts) has an indexed equality or range becomes a union of those branches when that beats
 * the best single index; a disjunct is planned the same way, so an {@code or} nested in a
 * disjunct (a or (b and (c or d))) adds branches (at most 64, with 256 index ranges in all),
 * unless the query asks for id order and some branch cannot give it (the union would
 * collect and sort every match, where the id-order scan stops at the page). Otherwise all
 * documents are scanned. The whole filter is always re-applied to what is
 * read. Stateless.
 */
public final class Planner {

  private static final int EQ = 4;
  private static final int IN = 3;
  private static final int RANGE = 2;
  private static final int ORDER = 1;

  private Planner() {}

  /** Most branches of one union (nested ors multiply). */
  static final int MAX_BRANCHES = 64;

  /** Most candidate plans considered for one query (nested ors are tried in every order). */
  private static final int MAX_WORK = 2_000;

  /** The plan for {@code filter} ordered by {@code orders} (empty: id order). */
  public static PlanSpec plan(List<DocIndex> readable, Filter filter, List<Order> orders) {
    return plan(readable, filter, orders, false);
  }

  /**
   * The plan for {@code filter} when any order will do: a union (or an {@code in}) whose branches
   * each hold a document at most once (no free array field after the fixed ones) is chained, its
   * ranges read one after another in their index order with nothing merged or sorted; otherwise
   * the id-order plan.
   */
  public static PlanSpec planAnyOrder(List<DocIndex> readable, Filter filter) {
    List<Node> conj = PlanSpec.nodes(filter, List.of());
    Choice c = choose(readable, filter, conj, List.of(), true, new int[] {MAX_WORK});
    if (c == null || !c.branches().stream().allMatch(Planner::chainable)) {
      return plan(readable, filter, List.of());
    }
    return new PlanSpec(c.branches(), false, false, true);
  }

  /** Whether every document is at most once in each range of {@code b} (no free array field). */
  private static boolean chainable(Branch b) {
    for (int f = b.equalities().size(); f < b.index().paths().size(); f++) {
      if (b.index().isArray(f)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The plan for counting {@code filter}'s matches: order does not matter, so a union is chosen
   * whenever it beats the best single index (it is never sorted: a count only collects).
   * ({@code counting} below means "order does not matter": counts and any-order pages.)
   */
  public static PlanSpec planCount(List<DocIndex> readable, Filter filter) {
    return plan(readable, filter, List.of(), true);
  }

  private static PlanSpec plan(List<DocIndex> readable, Filter filter, List<Order> orders,
      boolean counting) {
    List<Node> conj = PlanSpec.nodes(filter, List.of());
    Choice c = choose(readable, filter, conj, orders, counting, new int[] {MAX_WORK});
    boolean desc = !orders.isEmpty() && orders.get(0).descending();
    if (c == null) {
      return new PlanSpec(List.of(), false, !orders.isEmpty());
    }
    boolean ordered = c.branches().stream().allMatch(Branch::ordered);
    return new PlanSpec(c.branches(), ordered && desc, !ordered);
  }

  /** Index branches answering a list of conjuncts together, scored by the weakest one. */
  private record Choice(List<Branch> branches, int score) {}

  /**
   * The best way to read the matches of the conjuncts {@code conj}: one index, or a union over
   * the disjuncts of one of its {@code or}s, each disjunct (with the other conjuncts) planned the
   * same way, so an {@code or} nested in a disjunct becomes more branches. Null when nothing
   * beats a scan.
   */
  private static Choice choose(List<DocIndex> readable, Filter filter, List<Node> conj,
      List<Order> orders, boolean counting, int[] work) {
    work[0]--;
    Scored single = best(readable, conj, orders);
    Choice chosen = single == null ? null : new Choice(List.of(single.branch()), single.score());
    for (int ni = 0; ni < conj.size(); ni++) {
      Node n = conj.get(ni);
      if (!(n.filter() instanceof Filter.Or or) || or.parts().isEmpty() || work[0] <= 0) {
        continue;
      }
      List<Branch> branches = new ArrayList<>();
      int worst = Integer.MAX_VALUE;
      for (int i = 0; i < or.parts().size() && worst > ORDER; i++) {
        List<Node> part = new ArrayList<>(conj);
        part.remove(ni); // by position: Node.equals would compare whole filters
        part.addAll(PlanSpec.nodes(or.parts().get(i), PlanSpec.append(n.at(), i)));
        Choice s = choose(readable, filter, part, orders, counting, work);
        worst = s == null ? 0 : Math.min(worst, s.score());
        if (s != null) {
          branches.addAll(s.branches());
        }
      }
      // A union none of whose branches can give the order would collect and sort every match;
      // in id order the scan streams and stops at the page instead, so the scan is kept there.
      boolean mergeable = branches.stream().allMatch(Branch::ordered);
      int best = chosen == null ? 0 : chosen.score();
      if (worst > ORDER && worst > best && (mergeable || !orders.isEmpty() || counting)
          && branches.size() <= MAX_BRANCHES && ranges(branches, filter) <= Branch.MAX_RANGES) {
        chosen = new Choice(branches, worst);
      }
    }
    return chosen;
  }

  private static long ranges(List<Branch> branches, Filter filter) {
    long n = 0;
    for (Branch b : branches) {
      n += b.rangeCount(filter);
    }
    return n;
  }

  private record Scored(Branch branch, int score) {}

  /** The best single-index branch for {@code conj}, or null when no index helps. */
  private static Scored best(List<DocIndex> readable, List<Node> conj, List<Order> orders) {
    Scored best = null;
    for (DocIndex ix : readable) {
      List<List<Integer>> eq = new ArrayList<>();
      int score = 0;
      int ranges = 1;
      for (int f = 0; f < ix.paths().size(); f++) {
        Node c = findEquality(conj, ix, f);
        if (c == null) {
          break;
        }
        int n = Branch.values(c.filter()).size();
        if (n == 0 || (long) ranges * n > Branch.MAX_RANGES) {
          break;
        }
        ranges *= n;
        eq.add(c.at());
        score += c.filter() instanceof Filter.In ? IN : EQ;
      }
      List<Integer> range = null;
      if (eq.size() < ix.paths().size() && !ix.isArray(eq.size())) {
        Node r = findRange(conj, ix.path(eq.size()));
        range = r == null ? null : r.at();
      }
      boolean ordered = servesOrder(ix, eq.size(), orders);
      score = score * 2 + (range != null ? RANGE : 0) + (ordered ? ORDER : 0);
      if (score > 0 && (best == null || score > best.score())) {
        List<List<Integer>> all = conj.stream().map(Node::at).toList();
        best = new Scored(new Branch(ix, eq, range, ordered, all), score);
      }
    }
    return best;
  }

  private static boolean servesOrder(DocIndex ix, int eqCount, List<Order> orders) {
    if (orders.size() != ix.paths().size() - eqCount) {
      return false; // entries are ordered by the remaining fields, then id
    }
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

  private static Node findEquality(List<Node> conj, DocIndex ix, int field) {
    String path = ix.path(field);
    boolean array = ix.isArray(field);
    Node in = null;
    for (Node n : conj) {
      Filter c = n.filter();
      if (array ? c instanceof Filter.Contains k && k.path().equals(path)
          : c instanceof Filter.Compare cmp && cmp.op() == Filter.Op.EQ
              && cmp.path().equals(path)) {
        return n;
      }
      if (in == null && !array && c instanceof Filter.In i && i.path().equals(path)) {
        in = n;
      }
    }
    return in;
  }

  private static Node findRange(List<Node> conj, String path) {
    for (Node n : conj) {
      Filter c = n.filter();
      if (c instanceof Filter.Compare cmp && cmp.path().equals(path)
          && cmp.op() != Filter.Op.EQ && cmp.op() != Filter.Op.NE) {
        return n;
      }
      if (c instanceof Filter.Between b && b.path().equals(path)
          || c instanceof Filter.StartsWith s && s.path().equals(path)) {
        return n;
      }
    }
    return null;
  }
}
