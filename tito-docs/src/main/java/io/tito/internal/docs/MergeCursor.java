package io.tito.internal.docs;

import io.tito.InvalidArgumentException;
import io.tito.Transaction;
import io.tito.data.ModelStore;
import io.tito.data.Page;
import io.tito.data.Query;
import io.tito.data.Versioned;
import io.tito.docs.Filter;
import io.tito.docs.Order;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Pages through a union of index ranges that each yield documents in the requested order: a
 * k-way merge on the documents' keys (order values, then id). The same document met in two
 * ranges has the same key, so duplicates are adjacent and dropped. A continuation holds the last
 * key returned; resuming seeks every range to that key's order values (keyset position, ties
 * included) and drops what is not strictly after it, so pages neither skip nor repeat. Reads are
 * batched per range and count against the scan limit. Not thread-safe; one per page.
 */
final class MergeCursor {

  private static final int MAX_BATCH = 1000;

  private final ModelStore<StoredDoc> store;
  private final Branch branch;
  private final IndexRange range;
  private final boolean reverse;
  private final Filter filter;
  private final List<Object> seek;
  private final ArrayDeque<Versioned<StoredDoc>> buffer = new ArrayDeque<>();
  private String continuation;
  private boolean exhausted;
  private int batch;

  private MergeCursor(ModelStore<StoredDoc> store, Branch branch, IndexRange range,
      boolean reverse, Filter filter, List<Object> seek, int batch) {
    this.store = store;
    this.branch = branch;
    this.range = range;
    this.reverse = reverse;
    this.filter = filter;
    this.seek = seek;
    this.batch = batch;
  }

  /** One page of the merged ranges of {@code plan}. */
  static Executor.Result page(Transaction tx, ModelStore<StoredDoc> store, PlanSpec plan,
      Executor.Request r) {
    List<Order> orders = r.orders();
    List<Object> last = null;
    if (r.after() != null) {
      last = Tokens.decodeMerge(r.after(), r.fingerprint());
      if (last.size() != orders.size() + 1) {
        throw new InvalidArgumentException("continuation token does not fit the query", Map.of());
      }
    }
    int skip = r.pageNumber() > 0 ? (r.pageNumber() - 1) * r.size() : 0;
    List<MergeCursor> cursors = new ArrayList<>();
    for (Branch b : plan.branches()) {
      for (IndexRange range : b.ranges(r.filter())) {
        cursors.add(new MergeCursor(store, b, range, plan.reverse(), r.filter(),
            seek(b, orders, last), 0));
      }
    }
    int first = Math.max(2, (skip + r.size()) / Math.max(1, cursors.size()) + 1);
    cursors.forEach(c -> c.batch = Math.min(MAX_BATCH, first));
    Comparator<List<Object>> cmp = Executor.keyOrder(orders);
    int[] scanned = {0};
    List<Versioned<StoredDoc>> out = new ArrayList<>();
    List<Object> prev = last;
    while (out.size() < r.size()) {
      MergeCursor min = null;
      List<Object> minKey = null;
      for (MergeCursor c : cursors) {
        Versioned<StoredDoc> head = c.head(tx, r, plan, scanned);
        if (head == null) {
          continue;
        }
        List<Object> k = Executor.key(head, orders);
        if (min == null || cmp.compare(k, minKey) < 0) {
          min = c;
          minKey = k;
        }
      }
      if (min == null) {
        break;
      }
      Versioned<StoredDoc> v = min.buffer.poll();
      if (prev != null && cmp.compare(minKey, prev) <= 0) {
        continue; // a duplicate from another range, or at or before the resume point
      }
      prev = minKey;
      if (skip > 0) {
        skip--;
      } else {
        out.add(v);
      }
    }
    boolean more = cursors.stream().anyMatch(c -> !c.buffer.isEmpty() || !c.exhausted);
    String token = more && prev != null && !out.isEmpty()
        ? Tokens.merge(r.fingerprint(), prev) : null;
    return new Executor.Result(out, token, scanned[0]);
  }

  /**
   * Where a range resumes after {@code last}: its order values (the index fields after the fixed
   * ones), then the id unless the index is unique (unique entries may be keyed without it), or
   * null to start at the beginning.
   */
  private static List<Object> seek(Branch b, List<Order> orders, List<Object> last) {
    if (last == null) {
      return null;
    }
    List<Object> s = new ArrayList<>(last.subList(0, orders.size()));
    if (!b.index().unique()) {
      s.add(last.get(orders.size()));
    }
    return s.isEmpty() ? null : s;
  }

  /** The next document of this range, reading a batch when the buffer is empty; null at the end. */
  private Versioned<StoredDoc> head(Transaction tx, Executor.Request r, PlanSpec plan,
      int[] scanned) {
    while (buffer.isEmpty() && !exhausted) {
      int budget = r.scanLimit() - scanned[0];
      if (budget <= 0) {
        throw Executor.limit(store, plan, r);
      }
      Query<StoredDoc> q = range.apply(store.query(branch.index().name()));
      if (reverse) {
        q.reverse();
      }
      if (seek != null) {
        q.seek(seek.toArray());
      }
      Page<StoredDoc> p = Executor.residual(q, filter, branch).limit(Math.min(batch, budget))
          .maxScan(budget).after(continuation).page(tx);
      scanned[0] += p.scanned();
      buffer.addAll(p.items());
      continuation = p.continuation();
      exhausted = continuation == null;
      batch = Math.min(MAX_BATCH, batch * 2);
    }
    return buffer.peek();
  }
}
