package io.tito.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.Transaction;
import io.tito.data.Versioned;
import io.tito.internal.docs.Executor;
import io.tito.internal.docs.JsonPaths;
import io.tito.internal.docs.PlanSpec;
import io.tito.internal.docs.StoredDoc;
import io.tito.internal.docs.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A query of a collection: a {@link Filter}, an order, a page, an optional projection. Without
 * {@link #orderBy} documents come in id order, unless {@link #anyOrder()} lets the plan choose.
 * A builder: one per thread.
 *
 * <pre>{@code
 * DocPage<ObjectNode> p = customers.query(Filter.and(Filter.eq("country", "NO"),
 *         Filter.ge("age", 18)))
 *     .orderBy(Order.desc("age")).limit(20).page();
 * DocPage<ObjectNode> next = same query .after(p.continuation()).page();
 * }</pre>
 *
 * <p><b>Planning</b> ({@link #explain()}): see {@link Plan}. The filter is always applied to
 * every document read, so the answer never depends on the plan. <b>Bounds</b>: a query reads at
 * most {@link #scanLimit} index or document entries per call and otherwise fails with
 * {@link io.tito.LimitExceededException} (context {@code limit=scanLimit}); a query whose order
 * no index gives collects all its matches
 * before sorting, so it is bounded by its number of matches.
 *
 * <p><b>Paging</b>: {@link #page(int, int)} by number (1-based), or {@link #limit} then
 * {@link #after} with the previous page's continuation, which resumes exactly after the last
 * item (in the same order; documents written between pages appear in their place). A token from
 * another query (other filter values, order, collection) fails with
 * {@code InvalidArgumentException}.
 *
 * @param <T> the document type
 */
public final class DocQuery<T> {

  private final DocCollection<T> collection;
  private Filter filter;
  private List<Order> orders = List.of();
  private boolean anyOrder;
  private int pageNumber;
  private int size = 100;
  private String after;
  private int scanLimit;

  DocQuery(DocCollection<T> collection, Filter filter) {
    this.collection = collection;
    this.filter = requireFilter(filter);
    this.scanLimit = collection.owner().scanLimit();
  }

  /** Adds {@code more} with and. */
  public DocQuery<T> where(Filter more) {
    requireFilter(more);
    this.filter = filter instanceof Filter.And a && a.parts().isEmpty() ? more
        : Filter.and(filter, more);
    return this;
  }

  /**
   * The order, first key first (replaces any earlier order and {@link #anyOrder()}). Default: id
   * order.
   */
  public DocQuery<T> orderBy(Order... keys) {
    this.orders = List.of(keys);
    this.anyOrder = false;
    return this;
  }

  /**
   * Documents may come in any order (replaces {@link #orderBy}): the order the plan reads them
   * in, which is the same for every page of the same query on the same readable indexes. It lets
   * an {@code or} (or an {@code in}) read its index ranges one after another, each in its index
   * order, where id order would need a scan of all documents or a sort of every match; a
   * document matched by several ranges is still returned once. Continuations are exact (they
   * resume inside the range read last), and {@link #explain()} says {@code chained} for such a
   * plan. Do not rely on the order: it may change when indexes change, and between releases.
   */
  public DocQuery<T> anyOrder() {
    this.orders = List.of();
    this.anyOrder = true;
    return this;
  }

  /** Page {@code number} (from 1) of {@code size} documents. */
  public DocQuery<T> page(int number, int size) {
    if (number < 1) {
      throw new InvalidArgumentException("page numbers start at 1", Map.of("page", number));
    }
    limit(size);
    this.pageNumber = number;
    this.after = null;
    return this;
  }

  /** Documents per page, at least 1. Default 100. */
  public DocQuery<T> limit(int rows) {
    if (rows < 1) {
      throw new InvalidArgumentException("limit must be positive", Map.of("limit", rows));
    }
    this.size = rows;
    return this;
  }

  /** Resume after a previous page's continuation (null: from the start). */
  public DocQuery<T> after(String continuation) {
    this.after = continuation;
    this.pageNumber = 0;
    return this;
  }

  /** Index or document entries read at most. Default: the store's scan limit. */
  public DocQuery<T> scanLimit(int entries) {
    if (entries < 1) {
      throw new InvalidArgumentException("scanLimit must be positive",
          Map.of("scanLimit", entries));
    }
    this.scanLimit = entries;
    return this;
  }

  /** The filter. */
  public Filter filter() {
    return filter;
  }

  /** The order. */
  public List<Order> orders() {
    return orders;
  }

  /** One page, in a read-only transaction of its own. */
  public DocPage<T> page() {
    return collection.tito().read(this::page);
  }

  /** One page, inside {@code tx}. */
  public DocPage<T> page(Transaction tx) {
    return run(tx, planSpec(), filter);
  }

  /** The documents of one page projected to {@code paths} (others left out; absent ones too). */
  public DocPage<ObjectNode> select(String... paths) {
    return collection.tito().read(tx -> select(tx, paths));
  }

  /** {@link #select(String...)} inside {@code tx}. */
  public DocPage<ObjectNode> select(Transaction tx, String... paths) {
    for (String p : paths) {
      JsonPaths.segments(p);
    }
    DocPage<T> page = page(tx);
    List<Doc<ObjectNode>> out = new ArrayList<>();
    for (Doc<T> d : page.items()) {
      ObjectNode body = collection.body(d.value());
      out.add(new Doc<>(d.id(), project(body, paths), d.version(), d.createdAt(), d.updatedAt(),
          d.deleted()));
    }
    return new DocPage<>(out, page.continuation(), page.scanned());
  }

  /**
   * How many live documents match (bounded by the scan limit). When the plan's index ranges hold
   * exactly the matches ({@link Plan#indexOnlyCount()}), index entries are counted without reading
   * a document; otherwise every candidate is read and filtered.
   */
  public long count() {
    return collection.tito().read(this::count);
  }

  /** {@link #count()} inside {@code tx}. */
  public long count(Transaction tx) {
    return Executor.count(tx, collection.store(), countSpec(), request(filter));
  }

  /**
   * The plan this query gets with the indexes readable now; {@link Plan#indexOnlyCount()} tells
   * how {@link #count()} is answered (counts are planned without the order).
   */
  public Plan explain() {
    Plan p = planSpec().describe(filter);
    return new Plan(p.index(), p.equalities(), p.range(), p.reverse(), p.sortInMemory(),
        p.residual(), p.union(), p.ranges(), countSpec().describe(filter).indexOnlyCount(),
        p.chained());
  }

  PlanSpec countSpec() {
    return collection.plans().planCount(collection.readableIndexes(), filter);
  }

  PlanSpec planSpec() {
    return anyOrder ? collection.plans().planAnyOrder(collection.readableIndexes(), filter)
        : collection.plans().plan(collection.readableIndexes(), filter, orders);
  }

  DocPage<T> run(Transaction tx, PlanSpec plan, Filter bound) {
    Executor.Result r = Executor.page(tx, collection.store(), plan, request(bound));
    List<Doc<T>> items = new ArrayList<>();
    for (Versioned<StoredDoc> v : r.items()) {
      items.add(collection.toDoc(v));
    }
    return new DocPage<>(items, r.continuation(), r.scanned());
  }

  DocQuery<T> copyWith(Filter bound) {
    DocQuery<T> q = new DocQuery<>(collection, bound);
    q.orders = orders;
    q.anyOrder = anyOrder;
    q.pageNumber = pageNumber;
    q.size = size;
    q.after = after;
    q.scanLimit = scanLimit;
    return q;
  }

  DocCollection<T> collection() {
    return collection;
  }

  IndexAdvice advise() {
    Plan plan = explain();
    if (!plan.fullScan() && !plan.sortInMemory()
        && (!PlanSpec.conjuncts(filter).isEmpty() ? !plan.equalities().isEmpty()
            || plan.range() != null : true)) {
      return new IndexAdvice(plan, null, "the plan already reads an index range in order");
    }
    List<String> paths = new ArrayList<>();
    String range = null;
    for (Filter c : PlanSpec.conjuncts(filter)) {
      if (c instanceof Filter.Compare cmp && cmp.op() == Filter.Op.EQ) {
        add(paths, cmp.path());
      } else if (c instanceof Filter.Contains k) {
        add(paths, k.path() + "[]");
      } else if (range == null && (c instanceof Filter.Between || c instanceof Filter.StartsWith
          || c instanceof Filter.Compare cmp2 && cmp2.op() != Filter.Op.NE)) {
        range = c instanceof Filter.Between b ? b.path()
            : c instanceof Filter.StartsWith s ? s.path() : ((Filter.Compare) c).path();
      }
    }
    boolean sameDirection = orders.stream().map(Order::descending).distinct().count() <= 1;
    boolean arrays = paths.stream().anyMatch(p -> p.endsWith("[]"));
    if (range != null && (orders.isEmpty() || !orders.get(0).path().equals(range))) {
      add(paths, range);
    }
    if (sameDirection && !arrays) {
      for (Order o : orders) {
        add(paths, o.path());
      }
    }
    if (paths.isEmpty()) {
      return new IndexAdvice(plan, null,
          "the filter has no equality, contains or range predicate an index could bound");
    }
    String name = "by_" + String.join("_", paths).replaceAll("[^A-Za-z0-9_]", "_");
    return new IndexAdvice(plan, new DocIndex(name, paths, false),
        "equality paths first, then the range path, then the order paths"
            + (sameDirection ? "" : " (mixed directions are sorted in memory)"));
  }

  private static void add(List<String> paths, String p) {
    if (!paths.contains(p) && !paths.contains(p + "[]")) {
      paths.add(p);
    }
  }

  private Executor.Request request(Filter bound) {
    List<Order> o = orders;
    boolean any = anyOrder;
    return new Executor.Request(bound, o, pageNumber, size, after, scanLimit,
        () -> Tokens.fingerprint(collection.name(), bound.toString(), any ? "any" : o.toString()));
  }

  private static ObjectNode project(ObjectNode body, String[] paths) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (String p : paths) {
      JsonNode v = JsonPaths.get(body, p);
      if (v.isMissingNode()) {
        continue;
      }
      ObjectNode at = out;
      List<String> segs = JsonPaths.segments(p);
      for (int i = 0; i < segs.size() - 1; i++) {
        JsonNode next = at.get(segs.get(i));
        at = next instanceof ObjectNode o ? o : at.putObject(segs.get(i));
      }
      at.set(segs.get(segs.size() - 1), v.deepCopy());
    }
    return out;
  }

  private static Filter requireFilter(Filter f) {
    if (f == null) {
      throw new InvalidArgumentException("a filter must not be null", Map.of());
    }
    return f;
  }
}
