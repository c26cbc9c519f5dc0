package io.tito.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.AlreadyExistsException;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.VersionConflictException;
import io.tito.data.IndexState;
import io.tito.memory.MemoryEngine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DocCollectionTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A typed document. */
  public record Customer(String name, String email, String country, int age, List<String> tags) {}

  private Tito tito;
  private DocumentStore docs;
  private DocCollection<ObjectNode> customers;

  @BeforeEach
  void open() {
    tito = Tito.builder().engine(new MemoryEngine())
        .with(DocumentStore.builder().collection("customers",
            DocIndex.unique("by_email", "email"),
            DocIndex.of("by_country_age", "country", "age"),
            DocIndex.of("by_tag", "tags[]")))
        .build();
    docs = tito.module(DocumentStore.class);
    customers = docs.collection("customers");
  }

  @AfterEach
  void close() {
    tito.close();
  }

  static ObjectNode doc(String json) {
    try {
      return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void versionsStartAtOneAndStaleVersionsConflict() {
    Doc<ObjectNode> a = customers.insert("a", doc("{'name':'Ann','email':'ann@x','age':30}"));
    assertThat(a.version()).isEqualTo(1);
    Doc<ObjectNode> b = customers.replace("a", doc("{'name':'Ann B','email':'ann@x'}"), 1);
    assertThat(b.version()).isEqualTo(2);
    assertThatThrownBy(() -> customers.replace("a", doc("{'name':'x'}"), 1))
        .isInstanceOf(VersionConflictException.class);
    assertThat(customers.get("a").orElseThrow().value().get("name").asText()).isEqualTo("Ann B");
    assertThatThrownBy(() -> customers.insert("a", doc("{}")))
        .isInstanceOf(AlreadyExistsException.class);
    Doc<ObjectNode> c = customers.update("a", 2, d -> d.put("age", 31));
    assertThat(c.version()).isEqualTo(3);
    assertThatThrownBy(() -> customers.update("a", 2, d -> d.put("age", 99)))
        .isInstanceOf(VersionConflictException.class);
    assertThat(customers.get("a").orElseThrow().value().get("age").asInt()).isEqualTo(31);
  }

  @Test
  void softDeleteHidesAndRestoreShows() {
    customers.put("a", doc("{'email':'a@x'}"));
    assertThat(customers.softDelete("a").deleted()).isTrue();
    assertThat(customers.get("a")).isEmpty();
    assertThat(customers.query(Filter.eq("email", "a@x")).page().items()).isEmpty();
    assertThatThrownBy(() -> customers.insert("b", doc("{'email':'a@x'}")))
        .as("a soft-deleted document keeps its unique values")
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(customers.restore("a").version()).isEqualTo(3);
    assertThat(customers.get("a")).isPresent();
    assertThat(customers.delete("a")).isTrue();
    assertThat(customers.delete("a")).isFalse();
    assertThat(customers.insert("b", doc("{'email':'a@x'}")).version()).isEqualTo(1);
  }

  @Test
  void patchesSetSeveralFieldsAndRefuseUnknownPaths() {
    customers.insert("a", doc("{'name':'Ann','address':{'city':'Oslo'},'age':30}"));
    Doc<ObjectNode> p = customers.patch("a",
        DocPatch.setAll(Map.of("name", "Anna", "address.city", "Bergen")), 1);
    assertThat(p.version()).isEqualTo(2);
    assertThat(p.value().at("/address/city").asText()).isEqualTo("Bergen");
    assertThatThrownBy(() -> customers.patch("a",
        DocPatch.set("age", 40).andSet("nickname", "A")))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("nickname");
    assertThatThrownBy(() -> customers.patch("a", DocPatch.add("address.zip.code", "5000")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> customers.patch("a", DocPatch.set("age", 41), 1))
        .isInstanceOf(VersionConflictException.class);
    Doc<ObjectNode> now = customers.get("a").orElseThrow();
    assertThat(now.version()).as("nothing written by refused patches").isEqualTo(2);
    assertThat(now.value().get("age").asInt()).isEqualTo(30);
    Doc<ObjectNode> added = customers.patch("a", DocPatch.add("address.zip", "5003")
        .andRemove("name"));
    assertThat(added.value().has("name")).isFalse();
    assertThat(added.value().at("/address/zip").asText()).isEqualTo("5003");
  }

  @Test
  void indexesFollowWritesAndUniqueValuesAreEnforced() {
    customers.insert("a", doc("{'email':'a@x','country':'NO','age':30,'tags':['vip','new']}"));
    customers.insert("b", doc("{'email':'b@x','country':'NO','age':40,'tags':['new']}"));
    assertThatThrownBy(() -> customers.insert("c", doc("{'email':'a@x'}")))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(customers.get("c")).isEmpty();
    DocQuery<ObjectNode> vip = customers.query(Filter.contains("tags", "vip"));
    assertThat(vip.explain().index()).isEqualTo("by_tag");
    assertThat(ids(vip.page())).containsExactly("a");
    customers.patch("a", DocPatch.set("tags", List.of("old")));
    customers.patch("b", DocPatch.set("tags", List.of("vip")));
    assertThat(ids(customers.query(Filter.contains("tags", "vip")).page())).containsExactly("b");
    DocQuery<ObjectNode> q = customers.query(Filter.and(Filter.eq("country", "NO"),
        Filter.gt("age", 35)));
    assertThat(q.explain().index()).isEqualTo("by_country_age");
    assertThat(q.explain().range()).isEqualTo("age");
    assertThat(ids(q.page())).containsExactly("b");
    assertThat(q.count()).isEqualTo(1);
  }

  @Test
  void typedCollectionsMapDocuments() {
    DocCollection<Customer> typed = docs.collection("customers", Customer.class);
    typed.insert("t", new Customer("Tom", "t@x", "SE", 20, List.of("a")));
    Doc<Customer> t = typed.update("t", c -> new Customer(c.name(), c.email(), c.country(),
        c.age() + 1, c.tags()));
    assertThat(t.value().age()).isEqualTo(21);
    assertThat(customers.get("t").orElseThrow().value().get("age").asInt()).isEqualTo(21);
    assertThatThrownBy(() -> typed.patch("t", DocPatch.set("age", "not a number")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(typed.get("t").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void unknownCollectionsAndBadInputAreClearErrors() {
    assertThatThrownBy(() -> docs.collection("nope")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> customers.insert("", doc("{}")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Filter.eq("a..b", 1)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> DocumentStore.builder().collection("x", DocIndex.of("i", "a"),
        DocIndex.of("i", "b")).open(tito)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void indexesDeclaredLaterAreBuiltOnline() {
    customers.insert("a", doc("{'city':'Oslo'}"));
    customers.insert("b", doc("{'city':'Bergen'}"));
    DocumentStore later = DocumentStore.builder().collection("customers",
        DocIndex.unique("by_email", "email"), DocIndex.of("by_country_age", "country", "age"),
        DocIndex.of("by_tag", "tags[]"), DocIndex.of("by_city", "city")).open(tito);
    DocCollection<ObjectNode> c = later.collection("customers");
    assertThat(c.indexState("by_city")).isEqualTo(IndexState.WRITE_ONLY);
    DocQuery<ObjectNode> q = c.query(Filter.eq("city", "Oslo"));
    assertThat(q.explain().fullScan()).isTrue();
    c.insert("c", doc("{'city':'Oslo'}"));
    c.buildIndex("by_city", 1, null);
    assertThat(c.indexState("by_city")).isEqualTo(IndexState.READABLE);
    assertThat(q.explain().index()).isEqualTo("by_city");
    assertThat(ids(q.page())).containsExactly("a", "c");
  }

  @Test
  void queriesProjectPageAndRespectTheScanLimit() {
    for (int i = 0; i < 30; i++) {
      customers.insert("c" + (100 + i), doc("{'n':" + i + ",'country':'" + (i % 3 == 0 ? "NO"
          : "SE") + "','age':" + (i % 7) + ",'address':{'city':'C" + i + "','zip':'z'}}"));
    }
    DocQuery<ObjectNode> q = customers.query(Filter.ge("n", 10)).orderBy(Order.desc("n"));
    assertThat(q.explain().sortInMemory()).isTrue();
    DocPage<ObjectNode> p2 = q.page(2, 5).page();
    assertThat(p2.values().stream().map(d -> d.get("n").asInt()).toList())
        .containsExactly(24, 23, 22, 21, 20);
    DocPage<ObjectNode> sel = customers.query(Filter.eq("n", 3)).select("n", "address.city");
    assertThat(sel.values().get(0).toString()).isEqualTo("{\"n\":3,\"address\":{\"city\":\"C3\"}}");
    assertThatThrownBy(() -> customers.query(Filter.eq("n", 3)).scanLimit(10).page())
        .isInstanceOf(io.tito.LimitExceededException.class);
    assertThat(customers.query(Filter.eq("country", "NO")).scanLimit(10).count()).isEqualTo(10);
    assertThatThrownBy(() -> q.after("Sdeadbeef.AAA").page())
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void compiledQueriesReuseTheirPlanWithNewValues() {
    customers.insert("a", doc("{'country':'NO','age':30}"));
    customers.insert("b", doc("{'country':'SE','age':40}"));
    CompiledQuery<ObjectNode> byCountry = customers.compile(customers.query(Filter.and(
        Filter.eq("country", Param.of("c")), Filter.ge("age", Param.of("min")))));
    assertThat(byCountry.explain().index()).isEqualTo("by_country_age");
    assertThat(ids(byCountry.run(Map.of("c", "NO", "min", 18)))).containsExactly("a");
    assertThat(ids(byCountry.run(Map.of("c", "SE", "min", 41)))).isEmpty();
    assertThatThrownBy(() -> byCountry.run(Map.of("c", "SE")))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void theAdvisorSuggestsEqualityThenRangeThenOrder() {
    DocQuery<ObjectNode> q = customers.query(Filter.and(Filter.eq("status", "open"),
        Filter.gt("total", 10))).orderBy(Order.desc("total"));
    IndexAdvice advice = customers.advise(q);
    assertThat(advice.plan().fullScan()).isTrue();
    assertThat(advice.suggested().paths()).containsExactly("status", "total");
    IndexAdvice fine = customers.advise(customers.query(Filter.eq("email", "a@x")));
    assertThat(fine.suggested()).isNull();
  }

  static List<String> ids(DocPage<?> page) {
    return page.items().stream().map(Doc::id).toList();
  }
}
