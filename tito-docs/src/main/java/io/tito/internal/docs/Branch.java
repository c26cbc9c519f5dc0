package io.tito.internal.docs;

import io.tito.docs.DocIndex;
import io.tito.docs.Filter;
import io.tito.docs.Param;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One index branch of a plan: the index, the predicates (by position in the filter tree) giving
 * the values of its leading fields ({@code eq}, {@code contains} on an array field, or {@code in},
 * which expands the branch into one range per value), the predicate bounding the next field (or
 * null), whether its ranges come in the requested order, and the positions of every conjunct the
 * branch answers for (what an index-only count must cover). Immutable.
 *
 * @param index the index read
 * @param equalities positions of the predicates fixing the leading fields, in field order
 * @param range position of the range predicate on the next field, or null
 * @param ordered whether each range yields documents in the requested order
 * @param conjuncts positions of all conjuncts this branch must satisfy
 */
public record Branch(DocIndex index, List<List<Integer>> equalities, List<Integer> range,
    boolean ordered, List<List<Integer>> conjuncts) {

  /** Most ranges one branch expands into ({@code in} lists multiply). */
  static final int MAX_RANGES = 256;

  /** Copies the lists. */
  public Branch {
    equalities = List.copyOf(equalities);
    conjuncts = List.copyOf(conjuncts);
  }

  /** The index paths fixed by equality. */
  List<String> equalityPaths() {
    return index.paths().subList(0, equalities.size());
  }

  /** The index path bounded by the range, or null. */
  String rangePath() {
    return range == null ? null : index.path(equalities.size());
  }

  /** How many ranges the branch reads for {@code filter} (parameters count as one value each). */
  int rangeCount(Filter filter) {
    int n = 1;
    for (List<Integer> at : equalities) {
      n *= values(PlanSpec.at(filter, at)).size();
    }
    return n;
  }

  /** The index ranges of this branch for a bound filter: one per combination of fixed values. */
  public List<IndexRange> ranges(Filter bound) {
    List<List<Object>> prefixes = List.of(List.of());
    for (List<Integer> at : equalities) {
      List<List<Object>> next = new ArrayList<>();
      for (List<Object> p : prefixes) {
        for (Object v : values(PlanSpec.at(bound, at))) {
          List<Object> l = new ArrayList<>(p);
          l.add(v);
          next.add(l);
        }
      }
      prefixes = next;
    }
    IndexRange.Bound b = range == null ? null : IndexRange.bound(PlanSpec.at(bound, range));
    List<IndexRange> out = new ArrayList<>();
    for (List<Object> p : prefixes) {
      out.add(new IndexRange(p, b));
    }
    return out;
  }

  /** The values an equality-like predicate fixes its field to (an in list without repeats). */
  static List<Object> values(Filter f) {
    if (f instanceof Filter.Compare c) {
      return java.util.Collections.singletonList(c.value());
    }
    if (f instanceof Filter.Contains k) {
      return java.util.Collections.singletonList(k.value());
    }
    List<Object> vs = ((Filter.In) f).values();
    if (vs.stream().anyMatch(v -> v instanceof Param)) {
      return vs;
    }
    Set<Object> distinct = new LinkedHashSet<>(vs);
    return new ArrayList<>(distinct);
  }
}
