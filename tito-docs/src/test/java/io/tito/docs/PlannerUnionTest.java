package io.tito.docs;

import static io.tito.docs.DocCollectionTest.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.LimitExceededException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code in} and {@code or} through indexes, merged pages, and counts from the index alone. */
class PlannerUnionTest {

  /**
   * Counts point reads of documents (documents are read by key; index entries are scanned; the
   * store's metadata, read by key too, is not counted).
   */
  static final class CountingEngine extends ForwardingEngine {
    final AtomicInteger pointReads = new AtomicInteger();
    /** The prefix of every record key; until set, every point read counts. */
    volatile byte[] recordPrefix = new byte[0];

    CountingEngine() {
      super(new MemoryEngine());
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      return new ForwardingEngineTransaction(delegate().begin(readOnly)) {
        @Override
        public byte[] get(byte[] key) {
          count(key);
          return super.get(key);
        }

        @Override
        public List<byte[]> getAll(List<byte[]> keys) {
          keys.forEach(k -> count(k));
          return super.getAll(keys);
        }
      };
    }

    private void count(byte[] key) {
      byte[] prefix = recordPrefix;
      if (key.length >= prefix.length
          && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
        pointReads.incrementAndGet();
      }
    }
  }

  private CountingEngine engine;
  private Tito tito;
  private DocCollection<ObjectNode> people;

  @BeforeEach
  void open() {
    engine = new CountingEngine();
    tito = Tito.builder().engine(engine)
        .with(DocumentStore.builder().collection("people",
            DocIndex.of("by_city_age", "city", "age"), DocIndex.of("by_tag", "tags[]"),
            DocIndex.unique("by_email", "email")))
        .build();
    people = tito.module(DocumentStore.class).collection("people");
    engine.recordPrefix = tito.root().pack("t");
    String[] cities = {"Oslo", "Bergen", "Trondheim", "Tromso"};
    for (int i = 0; i < 40; i++) {
      people.insert(String.format("p%02d", i), doc("{'city':'" + cities[i % 4] + "','age':"
          + (20 + (i * 7) % 30) + ",'email':'p" + i + "@x','tags':[" + (i % 5 == 0 ? "'vip'" : "")
          + "]}"));
    }
    people.softDelete("p04");
  }

  @AfterEach
  void close() {
    tito.close();
  }

  private static List<String> ids(DocPage<?> p) {
    return p.items().stream().map(Doc::id).toList();
  }

  private List<String> bruteForce(Filter f, Order order) {
    List<Doc<ObjectNode>> all = new ArrayList<>(people.query(Filter.all()).limit(1000)
        .page().items());
    return all.stream().filter(d -> f.test(d.value()))
        .sorted(java.util.Comparator.<Doc<ObjectNode>>comparingDouble(
            d -> order.descending() ? -d.value().get("age").asDouble() : d.value().get("age")
                .asDouble()).thenComparing(Doc::id, order.descending()
                ? java.util.Comparator.<String>reverseOrder() : java.util.Comparator.naturalOrder()))
        .map(Doc::id).toList();
  }

  @Test
  void anInListBecomesOneOrderedRangePerValueMergedAcrossPages() {
    Filter f = Filter.and(Filter.in("city", "Oslo", "Tromso", "Oslo"), Filter.ge("age", 25));
    DocQuery<ObjectNode> q = people.query(f).orderBy(Order.desc("age")).limit(4);
    Plan plan = q.explain();
    assertThat(plan.index()).isEqualTo("by_city_age");
    assertThat(plan.equalities()).containsExactly("city");
    assertThat(plan.range()).isEqualTo("age");
    assertThat(plan.ranges()).as("repeated values are read once").isEqualTo(2);
    assertThat(plan.sortInMemory()).isFalse();
    assertThat(plan.toString()).contains("INDEX by_city_age", "x2 ranges", "reverse");
    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      DocPage<ObjectNode> p = people.query(f).orderBy(Order.desc("age")).limit(4).after(token)
          .page();
      seen.addAll(ids(p));
      token = p.continuation();
      if (seen.size() == 4) {
        people.insert("new-late", doc("{'city':'Oslo','age':21}"));   // after: appears
        people.insert("new-early", doc("{'city':'Tromso','age':99}")); // before: skipped
      }
    } while (token != null);
    List<String> expected = new ArrayList<>(bruteForce(f, Order.desc("age")));
    expected.remove("new-early");
    assertThat(seen).isEqualTo(expected).doesNotHaveDuplicates().doesNotContain("p04");
  }

  @Test
  void anOrOfIndexedBranchesIsAUnionWithoutDuplicates() {
    Filter f = Filter.or(Filter.contains("tags", "vip"), Filter.eq("city", "Oslo"),
        Filter.eq("email", "p7@x"));
    DocQuery<ObjectNode> q = people.query(f).orderBy(Order.asc("age")).limit(100);
    Plan plan = q.explain();
    assertThat(plan.fullScan()).isFalse();
    assertThat(plan.union()).extracting(Plan::index)
        .containsExactly("by_tag", "by_city_age", "by_email");
    assertThat(plan.toString()).startsWith("UNION").contains("then SORT");
    List<String> got = ids(q.page());
    assertThat(got).as("vip Oslo people are in two branches, returned once").doesNotHaveDuplicates();
    assertThat(got).isEqualTo(bruteForce(f, Order.asc("age")));
    assertThat(q.count()).isEqualTo(got.size());
    assertThat(people.query(f).explain().fullScan())
        .as("in id order a union that must sort loses to the scan, which stops at the page")
        .isTrue();
    assertThat(people.query(Filter.or(Filter.eq("city", "Oslo"), Filter.exists("nickname")))
        .explain().fullScan()).as("a branch no index serves makes it a scan").isTrue();
  }

  @Test
  void countsFromTheIndexAloneWhenItCoversTheFilter() {
    Filter covered = Filter.and(Filter.in("city", "Oslo", "Bergen"), Filter.between("age", 25, 40));
    DocQuery<ObjectNode> q = people.query(covered);
    assertThat(q.explain().indexOnlyCount()).isTrue();
    assertThat(q.explain().toString()).contains("count from index");
    long expected = bruteForce(covered, Order.asc("age")).size();
    engine.pointReads.set(0);
    assertThat(q.count()).isEqualTo(expected);
    assertThat(engine.pointReads.get()).as("no document read").isZero();

    DocQuery<ObjectNode> gt = people.query(Filter.and(Filter.eq("city", "Oslo"),
        Filter.gt("age", 30)));
    people.insert("odd", doc("{'city':'Oslo','age':true}"));      // a boolean sorts after numbers
    people.insert("str", doc("{'city':'Oslo','age':'forty'}"));   // a string before them
    assertThat(gt.explain().indexOnlyCount()).isTrue();
    assertThat(gt.count()).isEqualTo(bruteForce(Filter.and(Filter.eq("city", "Oslo"),
        Filter.gt("age", 30)), Order.asc("age")).size());

    DocQuery<ObjectNode> residual = people.query(Filter.and(Filter.eq("city", "Oslo"),
        Filter.exists("email")));
    assertThat(residual.explain().indexOnlyCount()).isFalse();
    engine.pointReads.set(0);
    assertThat(residual.count()).as("10 in Oslo, one soft-deleted").isEqualTo(9);
    assertThat(engine.pointReads.get()).isPositive();
    assertThatThrownBy(() -> people.query(Filter.eq("city", "Oslo")).scanLimit(5).count())
        .isInstanceOf(LimitExceededException.class);
  }

  @Test
  void anOrNestedInADisjunctAddsBranchesToTheUnion() {
    Filter f = Filter.or(Filter.eq("email", "p7@x"), Filter.and(Filter.exists("email"),
        Filter.or(Filter.contains("tags", "vip"), Filter.eq("city", "Oslo"))));
    DocQuery<ObjectNode> q = people.query(f).orderBy(Order.asc("age")).limit(100);
    Plan plan = q.explain();
    assertThat(plan.union()).extracting(Plan::index)
        .containsExactly("by_email", "by_tag", "by_city_age");
    assertThat(plan.toString()).startsWith("UNION [INDEX by_email eq[email], INDEX by_tag "
        + "eq[tags[]], INDEX by_city_age eq[city]] then SORT");
    assertThat(plan.indexOnlyCount()).as("exists(email) is left to the residual").isFalse();
    assertThat(ids(q.page())).isEqualTo(bruteForce(f, Order.asc("age")));
    assertThat(q.count()).isEqualTo(bruteForce(f, Order.asc("age")).size());

    Filter ordered = Filter.or(Filter.eq("city", "Bergen"), Filter.and(Filter.eq("city", "Oslo"),
        Filter.or(Filter.le("age", 25), Filter.ge("age", 45))));
    DocQuery<ObjectNode> merged = people.query(ordered).orderBy(Order.asc("age")).limit(100);
    assertThat(merged.explain().toString()).startsWith("UNION [INDEX by_city_age eq[city], "
        + "INDEX by_city_age eq[city] range age, INDEX by_city_age eq[city] range age] merged");
    assertThat(ids(merged.page())).isEqualTo(bruteForce(ordered, Order.asc("age")));
  }

  @Test
  void aUnionCountsDistinctIdsFromItsIndexesAlone() {
    Filter f = Filter.or(Filter.contains("tags", "vip"), Filter.eq("city", "Oslo"),
        Filter.and(Filter.eq("city", "Bergen"), Filter.or(Filter.le("age", 25),
            Filter.between("age", 40, 49))));
    DocQuery<ObjectNode> q = people.query(f);
    Plan plan = q.explain();
    assertThat(plan.fullScan()).as("id-order pages stream the scan").isTrue();
    assertThat(plan.indexOnlyCount()).as("counts are planned without the order").isTrue();
    assertThat(plan.toString()).contains("(count from index)");
    assertThat(people.query(f).orderBy(Order.asc("age")).explain().toString())
        .startsWith("UNION [INDEX by_tag eq[tags[]], INDEX by_city_age eq[city], "
            + "INDEX by_city_age eq[city] range age, INDEX by_city_age eq[city] range age]")
        .contains("(count from index)");
    long expected = bruteForce(f, Order.asc("age")).size();
    assertThat(expected).as("vip Oslo people are in two branches").isLessThan(
        bruteForce(Filter.contains("tags", "vip"), Order.asc("age")).size()
            + bruteForce(Filter.eq("city", "Oslo"), Order.asc("age")).size()
            + bruteForce(Filter.and(Filter.eq("city", "Bergen"), Filter.or(Filter.le("age", 25),
                Filter.between("age", 40, 49))), Order.asc("age")).size());
    engine.pointReads.set(0);
    assertThat(q.count()).isEqualTo(expected);
    assertThat(engine.pointReads.get()).as("no document read").isZero();
    assertThatThrownBy(() -> people.query(f).scanLimit(5).count())
        .isInstanceOf(LimitExceededException.class);
  }

  @Test
  void anAnyOrderUnionReadsItsBranchesOneAfterAnotherAndOnlyWhatItReturns() {
    Filter f = Filter.or(Filter.eq("city", "Oslo"), Filter.contains("tags", "vip"));
    DocQuery<ObjectNode> q = people.query(f).anyOrder().limit(5);
    Plan plan = q.explain();
    assertThat(plan.chained()).isTrue();
    assertThat(plan.sortInMemory()).isFalse();
    assertThat(plan.toString()).startsWith(
        "UNION [INDEX by_city_age eq[city], INDEX by_tag eq[tags[]]] chained");
    assertThat(people.query(f).explain().fullScan()).as("id order still scans").isTrue();
    engine.pointReads.set(0);
    DocPage<ObjectNode> first = q.page();
    assertThat(ids(first)).as("Oslo in age order")
        .isEqualTo(bruteForce(Filter.eq("city", "Oslo"), Order.asc("age")).subList(0, 5));
    assertThat(engine.pointReads.get()).as("documents read for a page of 5").isLessThanOrEqualTo(6);
    List<String> seen = new ArrayList<>(ids(first));
    String token = first.continuation();
    // Written between pages: in a later range (appears), and behind the cursor (skipped).
    people.insert("vip-late", doc("{'city':'Bergen','age':30,'tags':['vip']}"));
    people.insert("oslo-early", doc("{'city':'Oslo','age':1}"));
    for (int pages = 1; token != null; pages++) {
      assertThat(pages).as("pages of 5 for at most 26 matches").isLessThan(7);
      DocPage<ObjectNode> p = people.query(f).anyOrder().limit(5).after(token).page();
      seen.addAll(ids(p));
      token = p.continuation();
    }
    List<String> expected = new ArrayList<>(bruteForce(f, Order.asc("age")));
    expected.remove("oslo-early");
    assertThat(seen).doesNotHaveDuplicates().doesNotContain("p04")
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(seen.indexOf("p20")).as("a vip of Oslo comes with Oslo, once")
        .isLessThan(seen.indexOf("p05"));
    assertThat(q.count()).isEqualTo(expected.size() + 1);
    assertThatThrownBy(() -> people.query(f).anyOrder().after("I0.x").page())
        .isInstanceOf(io.tito.InvalidArgumentException.class);
  }

  @Test
  void anyOrderOnAnInListChainsItsRangesAndCompiledQueriesKeepThePlan() {
    Filter f = Filter.in("city", "Tromso", "Bergen");
    DocQuery<ObjectNode> q = people.query(f).anyOrder().limit(100);
    assertThat(q.explain().toString()).startsWith("INDEX by_city_age eq[city] x2 ranges chained");
    List<String> got = ids(q.page());
    assertThat(got.subList(0, 10)).allMatch(id -> Integer.parseInt(id.substring(1)) % 4 == 3);
    assertThat(got).containsExactlyInAnyOrderElementsOf(bruteForce(f, Order.asc("age")));
    CompiledQuery<ObjectNode> c = people.compile(people.query(Filter.in("city",
        Param.of("a"), Param.of("b"))).anyOrder().limit(100));
    assertThat(c.explain().chained()).isTrue();
    assertThat(ids(c.run(Map.of("a", "Tromso", "b", "Bergen")))).isEqualTo(got);
  }

  @Test
  void compiledInListsKeepTheirPlan() {
    CompiledQuery<ObjectNode> c = people.compile(people.query(Filter.in("city",
        Param.of("a"), Param.of("b"))).orderBy(Order.asc("age")).limit(100));
    assertThat(c.explain().ranges()).isEqualTo(2);
    List<String> got = ids(c.run(Map.of("a", "Bergen", "b", "Tromso")));
    assertThat(got).isEqualTo(bruteForce(Filter.in("city", "Bergen", "Tromso"),
        Order.asc("age")));
  }
}
