package io.tito.docs;

import java.util.List;

/**
 * One page of a query's answer.
 *
 * @param items the documents, in the query's order
 * @param continuation an opaque token that resumes exactly after the last item, or null when the
 *     answer has no more items
 * @param scanned how many index or document entries were read to answer
 * @param <T> the item type
 */
public record DocPage<T>(List<Doc<T>> items, String continuation, int scanned) {

  /** Copies the list. */
  public DocPage {
    items = List.copyOf(items);
  }

  /** Whether a continuation was returned. */
  public boolean hasMore() {
    return continuation != null;
  }

  /** The item values, in order. */
  public List<T> values() {
    return items.stream().map(Doc::value).toList();
  }
}
