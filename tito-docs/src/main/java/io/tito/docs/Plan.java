package io.tito.docs;

import java.util.List;

/**
 * How a query is answered, as shown by {@link DocQuery#explain()}.
 *
 * @param index the index scanned, or null for a scan of all documents in id order
 * @param equalities the index paths fixed by equality (or array-contains) predicates
 * @param range the index path bounded by a range predicate, or null
 * @param reverse whether the index is scanned backwards (a descending order)
 * @param sortInMemory whether the matches are collected (up to the scan limit) and sorted,
 *     because no usable index gives the requested order
 * @param residual the filter applied to every document read (the whole filter: index bounds are
 *     a superset of the matches)
 */
public record Plan(String index, List<String> equalities, String range, boolean reverse,
    boolean sortInMemory, String residual) {

  /** Copies the list. */
  public Plan {
    equalities = List.copyOf(equalities);
  }

  /** True when the plan reads all documents. */
  public boolean fullScan() {
    return index == null;
  }

  @Override
  public String toString() {
    return (index == null ? "SCAN all" : "INDEX " + index + " eq" + equalities
        + (range == null ? "" : " range " + range) + (reverse ? " reverse" : ""))
        + (sortInMemory ? " then SORT" : "") + " filter " + residual;
  }
}
