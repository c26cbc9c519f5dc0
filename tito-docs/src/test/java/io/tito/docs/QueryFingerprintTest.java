package io.tito.docs;

import static io.tito.docs.DocCollectionTest.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.internal.docs.Executor;
import io.tito.internal.docs.Planner;
import io.tito.internal.docs.PlanSpec;
import io.tito.memory.MemoryEngine;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A query's fingerprint (which binds continuation tokens to their query) is computed only when a
 * token is read or made, and a token from another query is still refused.
 */
class QueryFingerprintTest {

  private Tito tito;
  private DocCollection<ObjectNode> people;

  @BeforeEach
  void open() {
    tito = Tito.builder().engine(new MemoryEngine())
        .with(DocumentStore.builder().collection("people",
            DocIndex.of("by_city_age", "city", "age"), DocIndex.of("by_tag", "tags[]")))
        .build();
    people = tito.module(DocumentStore.class).collection("people");
    for (int i = 0; i < 10; i++) {
      people.insert(String.format("p%02d", i), doc("{'city':'" + (i % 2 == 0 ? "Oslo" : "Bergen")
          + "','age':" + (20 + i) + ",'tags':['t" + (i % 3) + "']}"));
    }
  }

  @AfterEach
  void close() {
    tito.close();
  }

  /** A fingerprint source that counts how often it is asked. */
  private static final class Counting implements Supplier<String> {
    final AtomicInteger asked = new AtomicInteger();

    @Override
    public String get() {
      asked.incrementAndGet();
      return "fp";
    }
  }

  private Executor.Result page(Filter f, List<Order> orders, int size, String after,
      Supplier<String> fp) {
    PlanSpec plan = Planner.plan(people.readableIndexes(), f, orders);
    return tito.read(tx -> Executor.page(tx, people.store(), plan,
        new Executor.Request(f, orders, 0, size, after, 10_000, fp)));
  }

  @Test
  void aPageWithoutATokenToReadOrMakeComputesNoFingerprint() {
    Filter eqRange = Filter.and(Filter.eq("city", "Oslo"), Filter.between("age", 20, 30));
    List<Order> byAge = List.of(Order.asc("age"));
    Counting whole = new Counting();
    Executor.Result r = page(eqRange, byAge, 20, null, whole); // the answer fits in one page
    assertThat(r.items()).hasSize(5);
    assertThat(r.continuation()).isNull();
    assertThat(whole.asked).hasValue(0);

    Counting sorted = new Counting(); // sorted in memory: no index on name
    Executor.Result s = page(Filter.eq("city", "Oslo"), List.of(Order.asc("name")), 20, null,
        sorted);
    assertThat(s.items()).hasSize(5);
    assertThat(sorted.asked).hasValue(0);

    Counting union = new Counting(); // an or: merged index ranges
    Executor.Result u = page(Filter.or(Filter.eq("city", "Oslo"), Filter.contains("tags", "t1")),
        List.of(), 20, null, union);
    assertThat(u.continuation()).isNull();
    assertThat(union.asked).hasValue(0);
  }

  @Test
  void aTokenIsMadeAndReadWithOneFingerprintPerRequest() {
    Filter eqRange = Filter.and(Filter.eq("city", "Oslo"), Filter.between("age", 20, 30));
    List<Order> byAge = List.of(Order.asc("age"));
    Counting first = new Counting();
    Executor.Result r = page(eqRange, byAge, 2, null, first);
    assertThat(r.continuation()).isNotNull();
    assertThat(first.asked).hasValue(1);

    Counting next = new Counting(); // reads a token and makes one: still asked once
    Executor.Result r2 = page(eqRange, byAge, 2, r.continuation(), next);
    assertThat(r2.continuation()).isNotNull();
    assertThat(r2.items()).extracting(v -> v.value().id()).containsExactly("p04", "p06");
    assertThat(next.asked).hasValue(1);
  }

  @Test
  void aTokenFromAnotherQueryIsStillRefused() {
    DocPage<ObjectNode> oslo = people.query(Filter.and(Filter.eq("city", "Oslo"),
        Filter.between("age", 20, 30))).orderBy(Order.asc("age")).limit(2).page();
    assertThat(oslo.continuation()).isNotNull();
    assertThatThrownBy(() -> people.query(Filter.and(Filter.eq("city", "Bergen"),
        Filter.between("age", 20, 30))).orderBy(Order.asc("age")).limit(2)
        .after(oslo.continuation()).page())
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> people.query(Filter.and(Filter.eq("city", "Oslo"),
        Filter.between("age", 21, 30))).orderBy(Order.asc("age")).limit(2)
        .after(oslo.continuation()).page())
        .isInstanceOf(InvalidArgumentException.class);
    DocPage<ObjectNode> same = people.query(Filter.and(Filter.eq("city", "Oslo"),
        Filter.between("age", 20, 30))).orderBy(Order.asc("age")).limit(2)
        .after(oslo.continuation()).page();
    assertThat(same.items()).extracting(Doc::id).containsExactly("p04", "p06");
  }

  @Test
  void theFilterTextInFingerprintsIsUnchanged() {
    // Fingerprints hash this text: a change would refuse every token handed out before it.
    Filter f = Filter.and(Filter.eq("city", "Oslo"), Filter.or(Filter.lt("age", 30),
        Filter.ge("age", 60.5), Filter.ne("name", Param.of("n"))), Filter.between("age", 1, 2),
        Filter.not(Filter.in("tags", "a", "b")), Filter.contains("tags", "t1"),
        Filter.startsWith("name", "A"), Filter.exists("zip"), Filter.le("age", 3),
        Filter.gt("age", 4));
    assertThat(f.toString()).isEqualTo("(city eq 'Oslo' and (age lt 30.0 or age ge 60.5 or"
        + " name ne :n) and age between 1.0 and 2.0 and not tags in ['a', 'b'] and tags contains"
        + " 't1' and name startsWith 'A' and exists zip and age le 3.0 and age gt 4.0)");
    assertThat(Filter.or().toString()).isEqualTo("()");
  }
}
