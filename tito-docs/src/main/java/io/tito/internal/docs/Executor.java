package io.tito.internal.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tito.InvalidArgumentException;
import io.tito.LimitExceededException;
import io.tito.Transaction;
import io.tito.data.ModelStore;
import io.tito.data.Page;
import io.tito.data.Query;
import io.tito.data.Versioned;
import io.tito.docs.Filter;
import io.tito.docs.Order;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a {@link PlanSpec} in one transaction: streams one index range or the id-order scan with
 * the filter as residual, merges several index ranges in the requested order (see
 * {@link MergeCursor}), reads them one after another for an any-order query
 * ({@link ChainCursor}), or collects the matches and sorts them; pages by number or by
 * continuation; counts from the index alone when the plan covers the filter; never reads more
 * than the scan limit (then {@link LimitExceededException}). Stateless.
 */
public final class Executor {

  private static final int BATCH = 1000;

  private Executor() {}

  /**
   * What a page request asks for.
   *
   * @param filter the bound filter
   * @param orders the order (empty: id order)
   * @param pageNumber 1-based page number, or 0 when paging by token
   * @param size page size
   * @param after a continuation token or null
   * @param scanLimit the most entries read
   * @param fingerprints gives the query's fingerprint; asked only when a continuation token is
   *     read or made (most pages do neither), at most once per request
   */
  public record Request(Filter filter, List<Order> orders, int pageNumber, int size, String after,
      int scanLimit, Supplier<String> fingerprints) {

    /** Wraps {@code fingerprints} so that it is asked at most once. */
    public Request {
      fingerprints = new Once(fingerprints);
    }

    /** The query's fingerprint, computed on first use. */
    public String fingerprint() {
      return fingerprints.get();
    }
  }

  /** A supplier asked at most once (one query runs in one thread). */
  private static final class Once implements Supplier<String> {
    private final Supplier<String> source;
    private String value;

    Once(Supplier<String> source) {
      this.source = source instanceof Once o ? o.source : source;
    }

    @Override
    public String get() {
      if (value == null) {
        value = source.get();
      }
      return value;
    }
  }

  /** A page of raw matches. */
  public record Result(List<Versioned<StoredDoc>> items, String continuation, int scanned) {}

  /** One page of the answer. */
  public static Result page(Transaction tx, ModelStore<StoredDoc> store, PlanSpec plan,
      Request r) {
    if (plan.sort()) {
      return sortedPage(tx, store, plan, r);
    }
    if (plan.chained() && !plan.single(r.filter())) {
      return ChainCursor.page(tx, store, plan, r);
    }
    if (!plan.fullScan() && !plan.single(r.filter())) {
      return MergeCursor.page(tx, store, plan, r);
    }
    int skip = r.pageNumber() > 0 ? (r.pageNumber() - 1) * r.size() : 0;
    String cont = r.after() == null ? null : Tokens.decodeScan(r.after(), r.fingerprint());
    List<Versioned<StoredDoc>> out = new ArrayList<>();
    int scanned = 0;
    while (true) {
      int need = skip + r.size() - out.size();
      int budget = r.scanLimit() - scanned;
      if (budget <= 0) {
        throw limit(store, plan, r);
      }
      Page<StoredDoc> p = streamed(store, plan, r.filter()).limit(Math.min(need, budget))
          .maxScan(budget).after(cont).page(tx);
      scanned += p.scanned();
      for (Versioned<StoredDoc> v : p.items()) {
        if (skip > 0) {
          skip--;
        } else {
          out.add(v);
        }
      }
      cont = p.continuation();
      if (cont == null || out.size() == r.size()) {
        break;
      }
    }
    String token = cont == null ? null : Tokens.scan(r.fingerprint(), cont);
    return new Result(out, token, scanned);
  }

  /** Every match (bounded by the scan limit), once each, in plan order (not sorted). */
  public static Result all(Transaction tx, ModelStore<StoredDoc> store, PlanSpec plan,
      Request r) {
    Map<String, Versioned<StoredDoc>> byId = new LinkedHashMap<>();
    int scanned = 0;
    Filter f = r.filter();
    List<Query<StoredDoc>> sources = new ArrayList<>();
    if (plan.fullScan()) {
      sources.add(residual(store.scanAll(), f, null));
    } else {
      for (Branch b : plan.branches()) {
        for (IndexRange range : b.ranges(f)) {
          sources.add(residual(range.apply(store.query(b.index().name())), f, b));
        }
      }
    }
    for (Query<StoredDoc> q : sources) {
      String cont = null;
      do {
        int budget = r.scanLimit() - scanned;
        if (budget <= 0) {
          throw limit(store, plan, r);
        }
        Page<StoredDoc> p = q.limit(Math.min(BATCH, budget)).maxScan(budget).after(cont)
            .page(tx);
        scanned += p.scanned();
        for (Versioned<StoredDoc> v : p.items()) {
          byId.putIfAbsent((String) v.id(), v); // the record id: no parse of the document
        }
        cont = p.continuation();
      } while (cont != null);
    }
    return new Result(new ArrayList<>(byId.values()), null, scanned);
  }

  /**
   * How many documents match: counted from the index entries alone when the plan covers the
   * filter exactly ({@link IndexCount}), else by reading and filtering every candidate.
   */
  public static long count(Transaction tx, ModelStore<StoredDoc> store, PlanSpec plan,
      Request r) {
    if (IndexCount.union(plan, r.filter())) {
      return unionCount(tx, store, plan, r);
    }
    if (!IndexCount.single(plan, r.filter())) {
      return all(tx, store, plan, r).items().size();
    }
    Branch b = plan.branches().get(0);
    long n = 0;
    for (IndexRange range : b.ranges(r.filter())) {
      long budget = r.scanLimit() - n;
      if (budget <= 0) {
        throw limit(store, plan, r);
      }
      try {
        n += range.apply(store.query(b.index().name())).maxScan((int) budget).count(tx);
      } catch (LimitExceededException e) {
        throw limit(store, plan, r);
      }
    }
    return n;
  }

  /**
   * The distinct ids of a union's index entries (no document read), at most scanLimit entries:
   * each range's encoded ids are added to one {@link EncodedIdSet}, so no id is decoded.
   */
  private static long unionCount(Transaction tx, ModelStore<StoredDoc> store, PlanSpec plan,
      Request r) {
    EncodedIdSet ids = new EncodedIdSet();
    long read = 0;
    for (Branch b : plan.branches()) {
      for (IndexRange range : b.ranges(r.filter())) {
        long budget = r.scanLimit() - read;
        if (budget <= 0) {
          throw limit(store, plan, r);
        }
        try {
          read += range.apply(store.query(b.index().name())).maxScan((int) budget)
              .encodedIds(tx, ids::add);
        } catch (LimitExceededException e) {
          throw limit(store, plan, r);
        }
      }
    }
    return ids.size();
  }

  private static Result sortedPage(Transaction tx, ModelStore<StoredDoc> store, PlanSpec plan,
      Request r) {
    Result all = all(tx, store, plan, r);
    Comparator<List<Object>> cmp = keyOrder(r.orders());
    List<Versioned<StoredDoc>> items = new ArrayList<>(all.items());
    items.sort((a, b) -> cmp.compare(key(a, r.orders()), key(b, r.orders())));
    int from;
    if (r.after() != null) {
      List<Object> last = Tokens.decodeSort(r.after(), r.fingerprint());
      if (last.size() != r.orders().size() + 1) {
        throw new InvalidArgumentException("continuation token does not fit the query", Map.of());
      }
      from = 0;
      while (from < items.size() && cmp.compare(key(items.get(from), r.orders()), last) <= 0) {
        from++;
      }
    } else {
      from = Math.max(0, r.pageNumber() - 1) * r.size();
    }
    int to = Math.min(items.size(), from + r.size());
    List<Versioned<StoredDoc>> page = from >= items.size() ? List.of() : items.subList(from, to);
    String token = to < items.size() && !page.isEmpty()
        ? Tokens.sort(r.fingerprint(), key(page.get(page.size() - 1), r.orders())) : null;
    return new Result(List.copyOf(page), token, all.scanned());
  }

  /** The sort key of a document: its values at the order paths, then its id. */
  static List<Object> key(Versioned<StoredDoc> v, List<Order> orders) {
    List<Object> k = new ArrayList<>();
    JsonNode body = v.value().body();
    for (Order o : orders) {
      k.add(Values.of(JsonPaths.get(body, o.path())));
    }
    k.add(v.value().id());
    return k;
  }

  /** Compares keys: each order path in its direction, then id in the last path's direction. */
  static Comparator<List<Object>> keyOrder(List<Order> orders) {
    return (a, b) -> {
      for (int i = 0; i < orders.size(); i++) {
        int c = Values.ORDER.compare(a.get(i), b.get(i));
        if (c != 0) {
          return orders.get(i).descending() ? -c : c;
        }
      }
      int c = Values.ORDER.compare(a.get(orders.size()), b.get(orders.size()));
      boolean desc = !orders.isEmpty() && orders.get(orders.size() - 1).descending();
      return desc ? -c : c;
    };
  }

  /** The query of a streamed plan: the one index range, or all documents in id order. */
  private static Query<StoredDoc> streamed(ModelStore<StoredDoc> store, PlanSpec plan, Filter f) {
    Query<StoredDoc> q;
    if (plan.fullScan()) {
      q = store.scanAll();
    } else {
      Branch b = plan.branches().get(0);
      q = b.ranges(f).get(0).apply(store.query(b.index().name()));
    }
    if (plan.reverse()) {
      q.reverse();
    }
    return residual(q, f, plan.fullScan() ? null : plan.branches().get(0));
  }

  /**
   * Applies the whole filter to what {@code q} reads from {@code branch} (null: all documents).
   * Unless the branch's ranges hold only matches, the filter is tested on a {@link Projection} of
   * each document (or by a {@link ByteMatcher} on its bytes when the filter has only the
   * predicates that one tests), so the ones it drops are never fully decoded.
   */
  static Query<StoredDoc> residual(Query<StoredDoc> q, Filter f, Branch branch) {
    Projection p = branch != null && IndexCount.exact(branch, f) ? null : Projection.of(f);
    ByteMatcher m = p == null ? null : ByteMatcher.of(f);
    return q.filter(d -> d.matches(f, p, m));
  }

  static LimitExceededException limit(ModelStore<StoredDoc> store, PlanSpec plan, Request r) {
    return new LimitExceededException("query reached its scan limit",
        Map.of("collection", store.model().table(), "limit", "scanLimit",
            "scanLimit", r.scanLimit(),
            "plan", plan.describe(r.filter()).toString()));
  }
}
