package io.tito.docs;

import static io.tito.docs.DocCollectionTest.doc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.Tito;
import io.tito.internal.docs.Planner;
import io.tito.memory.MemoryEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A query asked again with other values reuses its collection's plan for that shape, and gets the
 * same answer as a freshly planned one; a shape the planner sees differently (an {@code in} with
 * another number of distinct values, another order) is planned again.
 */
class PlanCacheTest {

  private static final String[] CITIES = {"Oslo", "Bergen", "Tromsø"};

  private Tito tito;
  private DocCollection<ObjectNode> people;

  @BeforeEach
  void open() {
    tito = Tito.builder().engine(new MemoryEngine())
        .with(DocumentStore.builder().collection("people",
            DocIndex.of("by_city_age", "city", "age"), DocIndex.of("by_tag", "tags[]")))
        .build();
    people = tito.module(DocumentStore.class).collection("people");
    for (int i = 0; i < 30; i++) {
      people.insert(String.format("p%02d", i), doc("{'city':'" + CITIES[i % 3] + "','age':"
          + (20 + (i * 7) % 30) + ",'tags':['t" + (i % 4) + "']}"));
    }
  }

  @AfterEach
  void close() {
    tito.close();
  }

  /** Ids of the documents matching {@code f}, by age then id: what the answer must be. */
  private List<String> expected(Filter f) {
    List<Doc<ObjectNode>> all = new ArrayList<>(people.query(Filter.all()).limit(1000).page()
        .items());
    all.removeIf(d -> !f.test((JsonNode) d.value()));
    all.sort(Comparator.comparingInt((Doc<ObjectNode> d) -> d.value().get("age").intValue())
        .thenComparing(Doc::id));
    return all.stream().map(Doc::id).toList();
  }

  private static List<String> ids(DocPage<ObjectNode> page) {
    return page.items().stream().map(Doc::id).toList();
  }

  @Test
  void theSameShapeWithOtherValuesIsPlannedOnce() {
    List<Filter> filters = new ArrayList<>();
    List<List<String>> answers = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      filters.add(Filter.and(Filter.eq("city", CITIES[i % 3]), Filter.between("age", 20 + i, 35)));
      answers.add(expected(filters.get(i)));
    }
    long before = people.plans().made();
    for (int i = 0; i < 9; i++) {
      DocQuery<ObjectNode> q = people.query(filters.get(i)).orderBy(Order.asc("age")).limit(100);
      assertThat(ids(q.page())).isEqualTo(answers.get(i));
    }
    assertThat(people.plans().made() - before).isEqualTo(1);
    Filter last = Filter.and(Filter.eq("city", "Oslo"), Filter.between("age", 30, 40));
    assertThat(people.query(last).orderBy(Order.asc("age")).planSpec())
        .isEqualTo(Planner.plan(people.readableIndexes(), last, List.of(Order.asc("age"))));
  }

  @Test
  void anInWithAnotherNumberOfDistinctValuesIsPlannedAgain() {
    Filter two = Filter.in("city", "Oslo", "Bergen");
    List<Object> cities = new ArrayList<>(List.of("Oslo", "Bergen"));
    for (int i = 0; i < 300; i++) {
      cities.add("Town" + i);
    }
    // More distinct values than index ranges one query may read: not an index plan.
    Filter many = new Filter.In("city", cities);
    List<Order> byAge = List.of(Order.asc("age"));
    assertThat(people.query(two).orderBy(Order.asc("age")).planSpec())
        .isEqualTo(Planner.plan(people.readableIndexes(), two, byAge));
    assertThat(people.query(many).orderBy(Order.asc("age")).planSpec())
        .isEqualTo(Planner.plan(people.readableIndexes(), many, byAge))
        .isNotEqualTo(Planner.plan(people.readableIndexes(), two, byAge));
    assertThat(ids(people.query(many).orderBy(Order.asc("age")).limit(100).page()))
        .isEqualTo(expected(many));
    assertThat(ids(people.query(two).orderBy(Order.asc("age")).limit(100).page()))
        .isEqualTo(expected(two));
  }

  @Test
  void anotherOrderOrAnyOrderIsPlannedAgain() {
    Filter f = Filter.eq("city", "Bergen");
    long before = people.plans().made();
    assertThat(people.query(f).orderBy(Order.asc("age")).explain().sortInMemory()).isFalse();
    assertThat(people.query(f).orderBy(Order.desc("age")).explain().reverse()).isTrue();
    assertThat(people.query(f).explain().sortInMemory()).isTrue(); // id order
    assertThat(people.query(f).anyOrder().explain().sortInMemory()).isFalse();
    assertThat(people.plans().made() - before).as("four page plans and one count plan")
        .isEqualTo(5);
  }
}
