package io.tito.docs;

import java.util.List;

/**
 * How a query is answered, as shown by {@link DocQuery#explain()}.
 *
 * <p>A plan reads one index (with {@code index} set), a union of index branches (with
 * {@code union} set: the disjuncts of an {@code or}, each read through its own index and merged),
 * or all documents in id order (neither). An {@code in} on an index field expands into one range
 * per distinct value; {@code ranges} says how many ranges are read in all. Several ranges are
 * merged in the requested order with duplicates removed, or, when a branch cannot give that
 * order, collected and sorted ({@code sortInMemory}). A query that accepts any order
 * ({@link DocQuery#anyOrder()}) may read its ranges one after another instead ({@code chained}):
 * each in its index order, a document returned by the first branch it matches, nothing sorted.
 *
 * @param index the index scanned by a single-index plan, or null (a union or a scan of all)
 * @param equalities the index paths fixed by equality (eq, in or array-contains) predicates
 * @param range the index path bounded by a range predicate, or null
 * @param reverse whether the index is scanned backwards (a descending order)
 * @param sortInMemory whether the matches are collected (up to the scan limit) and sorted,
 *     because no usable index gives the requested order
 * @param residual the filter applied to every document read (the whole filter: index bounds are
 *     a superset of the matches)
 * @param union the branches of a union plan, empty otherwise
 * @param ranges the number of index ranges read (0 for a scan of all documents)
 * @param indexOnlyCount whether {@link DocQuery#count()} is answered from index entries alone,
 *     without reading documents (the index ranges hold exactly the matches; a union's ranges are
 *     counted as distinct ids). A count is planned without the order, so this may hold for a
 *     query whose pages are read by another plan (an id-order scan)
 * @param chained whether the ranges (of a union, or of an {@code in}) are read one after another,
 *     each in its index order, with no merge or sort: only for {@link DocQuery#anyOrder()}
 */
public record Plan(String index, List<String> equalities, String range, boolean reverse,
    boolean sortInMemory, String residual, List<Plan> union, int ranges,
    boolean indexOnlyCount, boolean chained) {

  /** Copies the lists. */
  public Plan {
    equalities = List.copyOf(equalities);
    union = List.copyOf(union);
  }

  /** A plan whose ranges are not chained (merged, sorted, or a single range). */
  public Plan(String index, List<String> equalities, String range, boolean reverse,
      boolean sortInMemory, String residual, List<Plan> union, int ranges,
      boolean indexOnlyCount) {
    this(index, equalities, range, reverse, sortInMemory, residual, union, ranges,
        indexOnlyCount, false);
  }

  /** True when the plan reads all documents. */
  public boolean fullScan() {
    return index == null && union.isEmpty();
  }

  @Override
  public String toString() {
    String read;
    if (fullScan()) {
      read = "SCAN all";
    } else if (!union.isEmpty()) {
      read = "UNION " + union.stream().map(Plan::access).toList()
          + (sortInMemory ? "" : chained ? " chained" : " merged");
    } else {
      read = access() + (chained && ranges > 1 ? " chained" : "");
    }
    return read + (sortInMemory ? " then SORT" : "")
        + (indexOnlyCount ? " (count from index)" : "") + " filter " + residual;
  }

  private String access() {
    return "INDEX " + index + " eq" + equalities + (range == null ? "" : " range " + range)
        + (ranges > 1 ? " x" + ranges + " ranges" : "") + (reverse ? " reverse" : "");
  }
}
