package io.tito.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The planner's answer (whatever index it picks, paged by number or by continuation) equals a
 * brute-force filter and sort of all live documents, for random documents, filters and orders,
 * ascending and descending; so does {@code count()}, from the index alone or not. Filters include
 * {@code in} lists (planned as one index range per value) and {@code or}s, also under an
 * {@code and} (planned as unions of index branches, merged and de-duplicated).
 */
class PlannerPropertiesTest {

  /** A generated document: fields may be absent (null here means "absent" for a and b). */
  record Gen(Integer a, String b, Integer c, List<String> tags, boolean nullA, boolean deleted) {}

  record Q(Filter filter, List<Order> orders, int pageSize) {}

  @Property(tries = 300)
  void plannerMatchesBruteForce(@ForAll("docs") List<Gen> gens, @ForAll("queries") Q q) {
    check(gens, q, false, false);
  }

  /** Queries shaped so that the plan merges several ordered index ranges (in lists, ors). */
  @Property(tries = 200)
  void mergedRangesMatchBruteForce(@ForAll("docs") List<Gen> gens, @ForAll("merged") Q q) {
    check(gens, q, true, false);
  }

  /**
   * Ors nested in a disjunct ({@code a or (x and (b or c))}, indexed leaves, any x; an or in an
   * or; an and of two ors): planned as a
   * union of index branches (never a scan when the order lets branches sort), counted from the
   * indexes when every branch's ranges are exact.
   */
  @Property(tries = 300)
  void nestedOrsMatchBruteForce(@ForAll("docs") List<Gen> gens, @ForAll("nested") Q q) {
    check(gens, q, false, true);
  }

  /**
   * Any-order queries ({@link DocQuery#anyOrder()}: ors, ins, nested ors, chained when no branch
   * has a free array field): every match exactly once, and the same sequence unpaged, by
   * continuation and by page number.
   */
  @Property(tries = 300)
  void anyOrderMatchesBruteForce(@ForAll("docs") List<Gen> gens,
      @ForAll("anyOrderFilters") Filter filter, @ForAll("sizes") int size) {
    try (Tito tito = store()) {
      DocCollection<ObjectNode> coll = tito.module(DocumentStore.class).collection("t");
      List<String> expected = bruteForce(load(coll, gens), new Q(filter, List.of(), size));
      DocQuery<ObjectNode> query = coll.query(filter).anyOrder();
      Plan plan = query.explain();
      Statistics.label("plan").collect(plan.fullScan() ? "scan" : plan.chained()
          ? (plan.union().isEmpty() ? "chained ranges" : "chained union")
          : plan.sortInMemory() ? "sort" : "index");
      if (filter instanceof Filter.Or or && or.parts().stream().allMatch(
          p -> p instanceof Filter.Compare c && c.op() == Filter.Op.EQ
              || p instanceof Filter.Contains)) {
        assertThat(plan.chained()).as("plan %s", plan).isTrue(); // eq on by_a or by_b_c, tags
      }
      List<String> unpaged = ids(query.limit(10_000).page());
      assertThat(unpaged.stream().sorted().toList()).as("unpaged, plan %s", plan)
          .isEqualTo(expected);
      assertThat(query.count()).isEqualTo(expected.size());
      List<String> byToken = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        DocPage<ObjectNode> p = coll.query(filter).anyOrder().limit(size).after(token).page();
        assertThat(p.items().size()).isLessThanOrEqualTo(size);
        byToken.addAll(ids(p));
        token = p.continuation();
        assertThat(++pages).isLessThan(1000);
      } while (token != null);
      assertThat(byToken).as("by continuation, plan %s", plan).isEqualTo(unpaged);
      List<String> byNumber = new ArrayList<>();
      for (int n = 1; ; n++) {
        List<String> page = ids(coll.query(filter).anyOrder().page(n, size).page());
        if (page.isEmpty()) {
          break;
        }
        byNumber.addAll(page);
      }
      assertThat(byNumber).as("by page number, plan %s", plan).isEqualTo(unpaged);
    }
  }

  private static Tito store() {
    return Tito.builder().engine(new MemoryEngine())
        .with(DocumentStore.builder().collection("t",
            DocIndex.of("by_a", "a"), DocIndex.of("by_a_b", "a", "b"),
            DocIndex.of("by_b_c", "b", "c"), DocIndex.of("by_tag", "tags[]"),
            DocIndex.of("by_tag_c", "tags[]", "c")))
        .build();
  }

  /** Writes the documents (soft-deleting some) and returns the live ones. */
  private static List<Doc<ObjectNode>> load(DocCollection<ObjectNode> coll, List<Gen> gens) {
    List<Doc<ObjectNode>> live = new ArrayList<>();
    for (int i = 0; i < gens.size(); i++) {
      String id = String.format("d%03d", (i * 37) % 1000);
      Doc<ObjectNode> d = coll.put(id, body(gens.get(i)));
      if (gens.get(i).deleted()) {
        coll.softDelete(id);
      } else {
        live.add(d);
      }
    }
    return live;
  }

  private static void check(List<Gen> gens, Q q, boolean mustMerge, boolean nested) {
    try (Tito tito = store()) {
      DocCollection<ObjectNode> coll = tito.module(DocumentStore.class).collection("t");
      List<String> expected = bruteForce(load(coll, gens), q);

      DocQuery<ObjectNode> query = coll.query(q.filter()).orderBy(q.orders().toArray(Order[]::new));
      Plan plan = query.explain();
      Statistics.label("plan").collect(plan.fullScan() ? "scan"
          : (plan.union().isEmpty() ? (plan.ranges() > 1 ? "in-ranges" : "index") : "union")
              + (plan.sortInMemory() ? "+sort" : plan.ranges() > 1 ? "+merge" : ""));
      if (nested && !q.orders().isEmpty() && q.filter() instanceof Filter.Or or
          && or.parts().get(0) instanceof Filter.Compare) {
        assertThat(plan.union()).as("nested or, plan %s", plan).isNotEmpty();
      }
      if (mustMerge) {
        assertThat(plan.ranges()).as("plan %s", plan).isGreaterThan(1);
        assertThat(plan.sortInMemory()).as("plan %s", plan).isFalse();
      }
      Statistics.label("count").collect(plan.indexOnlyCount() ? "index-only" : "reads documents");
      assertThat(ids(query.limit(10_000).page()))
          .as("unpaged, plan %s", query.explain()).isEqualTo(expected);
      assertThat(query.count()).isEqualTo(expected.size());

      List<String> byToken = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        DocPage<ObjectNode> p = coll.query(q.filter()).orderBy(q.orders().toArray(Order[]::new))
            .limit(q.pageSize()).after(token).page();
        byToken.addAll(ids(p));
        token = p.continuation();
        assertThat(++pages).isLessThan(1000);
      } while (token != null);
      assertThat(byToken).as("by continuation, plan %s", query.explain()).isEqualTo(expected);

      List<String> byNumber = new ArrayList<>();
      for (int n = 1; ; n++) {
        List<String> page = ids(coll.query(q.filter()).orderBy(q.orders().toArray(Order[]::new))
            .page(n, q.pageSize()).page());
        if (page.isEmpty()) {
          break;
        }
        byNumber.addAll(page);
      }
      assertThat(byNumber).as("by page number, plan %s", query.explain()).isEqualTo(expected);
    }
  }

  static ObjectNode body(Gen g) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (g.nullA()) {
      n.putNull("a");
    } else if (g.a() != null) {
      n.put("a", g.a());
    }
    if (g.b() != null) {
      n.put("b", g.b());
    }
    if (g.c() != null) {
      n.put("c", g.c() / 2.0); // halves: numbers that are not integers
    }
    if (g.tags() != null) {
      g.tags().forEach(n.putArray("tags")::add);
    }
    return n;
  }

  /** Filter with Filter.test, then sort with an independent comparator. */
  static List<String> bruteForce(List<Doc<ObjectNode>> live, Q q) {
    List<Doc<ObjectNode>> hits = new ArrayList<>(live.stream()
        .filter(d -> q.filter().test(d.value())).toList());
    Comparator<Doc<ObjectNode>> cmp = (x, y) -> 0;
    for (Order o : q.orders()) {
      Comparator<Doc<ObjectNode>> byPath = (x, y) -> compare(x.value(), y.value(), o.path());
      cmp = cmp.thenComparing(o.descending() ? byPath.reversed() : byPath);
    }
    boolean desc = !q.orders().isEmpty() && q.orders().get(q.orders().size() - 1).descending();
    Comparator<Doc<ObjectNode>> byId = Comparator.comparing(Doc::id);
    hits.sort(cmp.thenComparing(desc ? byId.reversed() : byId));
    return hits.stream().map(Doc::id).toList();
  }

  /** Missing and null first; each generated path holds one kind of scalar. */
  static int compare(ObjectNode x, ObjectNode y, String path) {
    var a = x.get(path);
    var b = y.get(path);
    boolean an = a == null || a.isNull();
    boolean bn = b == null || b.isNull();
    if (an || bn) {
      return Boolean.compare(!an, !bn);
    }
    return a.isNumber() ? Double.compare(a.doubleValue(), b.doubleValue())
        : a.textValue().compareTo(b.textValue());
  }

  static List<String> ids(DocPage<?> p) {
    return p.items().stream().map(Doc::id).toList();
  }

  @Provide
  Arbitrary<List<Gen>> docs() {
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 4).injectNull(0.2);
    Arbitrary<String> str = Arbitraries.of("a", "ab", "b", "ba", "c").injectNull(0.2);
    Arbitrary<List<String>> tags = Arbitraries.of("x", "y", "z").list().ofMaxSize(3)
        .injectNull(0.2);
    Arbitrary<Integer> halves = Arbitraries.integers().between(-4, 8).injectNull(0.2);
    return Combinators.combine(small, str, halves, tags, Arbitraries.integers()
            .between(0, 4).map(v -> v == 0), Arbitraries.integers().between(0, 9))
        .as((a, b, c, t, nullA, d) -> new Gen(a, b, c, t, nullA, d == 0))
        .list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<Q> merged() {
    Arbitrary<Boolean> desc = Arbitraries.of(true, false);
    Arbitrary<List<Object>> bs = Arbitraries.of("a", "ab", "b", "ba", "c").set().ofMinSize(2)
        .ofMaxSize(4).map(List::copyOf);
    Arbitrary<List<Object>> as = Arbitraries.integers().between(0, 4).set().ofMinSize(2)
        .ofMaxSize(4).map(l -> List.<Object>copyOf(l));
    Arbitrary<Filter> extra = Arbitraries.oneOf(Arbitraries.just(Filter.all()),
        Arbitraries.integers().between(-4, 8).map(v -> Filter.ge("c", v / 2.0)),
        Arbitraries.of("x", "y").map(v -> Filter.not(Filter.contains("tags", v))));
    Arbitrary<Q> inOnB = Combinators.combine(bs, extra, desc, Arbitraries.integers().between(1, 7))
        .as((v, x, d, size) -> new Q(Filter.and(Filter.in("b", v.toArray()), x),
            List.of(new Order("c", d)), size));
    Arbitrary<Q> inOnA = Combinators.combine(as, desc, Arbitraries.integers().between(1, 7))
        .as((v, d, size) -> new Q(Filter.in("a", v.toArray()), List.of(new Order("b", d)), size));
    Arbitrary<Q> orById = Combinators.combine(Arbitraries.integers().between(0, 4),
            Arbitraries.of("x", "y", "z"), Arbitraries.integers().between(0, 4),
            Arbitraries.integers().between(1, 7))
        .as((a, t, a2, size) -> new Q(Filter.or(Filter.eq("a", a), Filter.contains("tags", t),
            Filter.in("a", a2, 4 - a2)), List.of(), size));
    Arbitrary<Q> orOrdered = Combinators.combine(Arbitraries.of("a", "b", "c"),
            Arbitraries.of("x", "y", "z"), extra, desc, Arbitraries.integers().between(1, 7))
        .as((b, t, x, d, size) -> new Q(Filter.and(x, Filter.or(Filter.eq("b", b),
            Filter.contains("tags", t))), List.of(new Order("c", d)), size));
    return Arbitraries.oneOf(inOnB, inOnA, orById, orOrdered);
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.integers().between(1, 7);
  }

  /** Ors of indexed leaves (plain and nested), ins, and the filters of the other properties. */
  @Provide
  Arbitrary<Filter> anyOrderFilters() {
    Arbitrary<Filter> indexed = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 4).map(v -> Filter.eq("a", v)),
        Arbitraries.of("a", "ab", "b", "c").map(v -> Filter.eq("b", v)),
        Arbitraries.of("x", "y", "z").map(v -> Filter.contains("tags", v)));
    Arbitrary<Filter> ors = indexed.list().ofMinSize(2).ofMaxSize(4)
        .map(l -> Filter.or(l.toArray(Filter[]::new)));
    Arbitrary<Filter> orsAndMore = Combinators.combine(ors, Arbitraries.oneOf(
            Arbitraries.integers().between(-4, 8).map(v -> Filter.ge("c", v / 2.0)),
            Arbitraries.of("x", "y").map(v -> Filter.not(Filter.contains("tags", v))),
            Arbitraries.integers().between(0, 4).map(v -> Filter.ne("a", v))))
        .as(Filter::and);
    return Arbitraries.oneOf(ors, orsAndMore, nested().map(Q::filter),
        merged().map(Q::filter), queries().map(Q::filter));
  }

  @Provide
  Arbitrary<Q> nested() {
    Arbitrary<Filter> indexed = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 4).map(v -> Filter.eq("a", v)),
        Arbitraries.of("a", "ab", "b", "c").map(v -> Filter.eq("b", v)),
        Arbitraries.of("x", "y", "z").map(v -> Filter.contains("tags", v)),
        Arbitraries.integers().between(0, 4).map(v -> Filter.in("a", v, 4 - v)),
        Arbitraries.integers().between(0, 3).map(v -> Filter.between("a", v, v + 1)));
    Arbitrary<Filter> any = Arbitraries.oneOf(indexed,
        Arbitraries.integers().between(-4, 8).map(v -> Filter.ge("c", v / 2.0)),
        Arbitraries.of("a", "c").map(Filter::exists),
        Arbitraries.of("x", "y").map(v -> Filter.not(Filter.contains("tags", v))));
    Arbitrary<Filter> first = Arbitraries.integers().between(0, 4).map(v -> Filter.eq("a", v));
    Arbitrary<Filter> shape = Combinators.combine(first, any, indexed, indexed, indexed)
        .as((a, x, b, c, d) -> Filter.or(a, Filter.and(x, Filter.or(b, Filter.and(c,
            Filter.or(d, b))))));
    Arbitrary<Filter> twoOrs = Combinators.combine(indexed, indexed, indexed, indexed)
        .as((a, b, c, d) -> Filter.and(Filter.or(a, b), Filter.or(c, d)));
    Arbitrary<Filter> orInOr = Combinators.combine(first, indexed, indexed)
        .as((a, b, c) -> Filter.or(a, Filter.or(b, c)));
    Arbitrary<Filter> exactRanges = Combinators.combine(first,
            Arbitraries.of("a", "ab", "b", "c"), Arbitraries.integers().between(-4, 8),
            Arbitraries.integers().between(-4, 8))
        .as((a, b, lo, hi) -> Filter.or(a, Filter.and(Filter.eq("b", b),
            Filter.or(Filter.le("c", lo / 2.0), Filter.ge("c", hi / 2.0)))));
    Arbitrary<List<Order>> orders = Arbitraries.of(List.of(), List.of(Order.asc("c")),
        List.of(Order.desc("c")), List.of(Order.asc("b")));
    return Combinators.combine(Arbitraries.oneOf(shape, twoOrs, orInOr, exactRanges), orders,
        Arbitraries.integers().between(1, 7)).as(Q::new);
  }

  @Provide
  Arbitrary<Q> queries() {
    Arbitrary<Filter> leaf = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 4).map(v -> Filter.eq("a", v)),
        Arbitraries.of("a", "ab", "b", "c").map(v -> Filter.eq("b", v)),
        Arbitraries.integers().between(0, 4).map(v -> Filter.ne("a", v)),
        Arbitraries.integers().between(-4, 8).map(v -> Filter.gt("c", v / 2.0)),
        Arbitraries.integers().between(-4, 8).map(v -> Filter.le("c", v / 2.0)),
        Arbitraries.integers().between(-4, 8).map(v -> Filter.lt("c", v / 2.0)),
        Arbitraries.integers().between(-4, 8).map(v -> Filter.ge("c", v / 2.0)),
        Arbitraries.integers().between(0, 4).map(v -> Filter.between("a", v, v + 2)),
        Arbitraries.of("a", "b").map(v -> Filter.startsWith("b", v)),
        Arbitraries.of("a", "b", "c").map(Filter::exists),
        Arbitraries.of("x", "y", "z").map(v -> Filter.contains("tags", v)),
        Arbitraries.integers().between(0, 4).map(v -> Filter.in("a", v, v + 1)),
        Arbitraries.integers().between(0, 4).map(v -> Filter.in("a", v, 4 - v, v, null)),
        Arbitraries.of("a", "ab", "b", "c").list().ofMinSize(1).ofMaxSize(3)
            .map(l -> Filter.in("b", l.toArray())),
        Arbitraries.of("x", "y", "z").map(v -> Filter.contains("tags", v)),
        Arbitraries.just(Filter.eq("a", null)),
        Arbitraries.just(Filter.all()));
    Arbitrary<Filter> composite = Arbitraries.oneOf(
        leaf,
        leaf.list().ofMinSize(2).ofMaxSize(3).map(l -> Filter.and(l.toArray(Filter[]::new))),
        leaf.list().ofMinSize(2).ofMaxSize(3).map(l -> Filter.or(l.toArray(Filter[]::new))),
        Combinators.combine(leaf, leaf.list().ofMinSize(2).ofMaxSize(3))
            .as((l, ors) -> Filter.and(l, Filter.or(ors.toArray(Filter[]::new)))),
        leaf.map(Filter::not));
    Arbitrary<Order> order = Combinators.combine(Arbitraries.of("a", "b", "c"),
        Arbitraries.of(true, false)).as(Order::new);
    Arbitrary<List<Order>> orders = order.list().ofMaxSize(2)
        .filter(l -> l.stream().map(Order::path).distinct().count() == l.size());
    return Combinators.combine(composite, orders, Arbitraries.integers().between(1, 7))
        .as(Q::new);
  }
}
