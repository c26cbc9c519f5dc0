package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.data.Page;
import io.tito.data.Query;
import io.tito.data.Versioned;
import io.tito.testkit.data.DataModels.Product;
import io.tito.testkit.data.DataModels.User;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Ranges, direction, limits, filters, continuations, full scans. */
public interface QueryContract extends DataFixture {

  /** Every row of a query, page by page, with {@code pageSize} rows per page. */
  static <T> List<Object> drain(Supplier<Query<T>> query, int pageSize) {
    List<Object> ids = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Page<T> page = query.get().limit(pageSize).after(token).page();
      page.items().forEach(v -> ids.add(v.id()));
      token = page.continuation();
      if (++pages > 100_000) {
        throw new AssertionError("paging does not end");
      }
    } while (token != null);
    return ids;
  }

  private void ages(int... ages) {
    for (int i = 0; i < ages.length; i++) {
      users().insert(User.of("u" + i, "u" + i + "@x", "n" + i, "NO", ages[i]));
    }
  }

  private List<Object> ids(Query<User> q) {
    return q.limit(1000).page().items().stream().map(Versioned::id).toList();
  }

  @Test
  default void rangeOperatorsOnTheFieldAfterTheEqualities() {
    ages(10, 20, 30, 40, 50);
    assertThat(ids(users().query("by_country_age").eq("NO").gt(20))).containsExactly("u2", "u3", "u4");
    assertThat(ids(users().query("by_country_age").eq("NO").ge(20))).containsExactly("u1", "u2", "u3", "u4");
    assertThat(ids(users().query("by_country_age").eq("NO").lt(30))).containsExactly("u0", "u1");
    assertThat(ids(users().query("by_country_age").eq("NO").le(30))).containsExactly("u0", "u1", "u2");
    assertThat(ids(users().query("by_country_age").eq("NO").between(20, 40))).containsExactly("u1", "u2", "u3");
    assertThat(ids(users().query("by_country_age").eq("NO").gt(10).lt(50))).containsExactly("u1", "u2", "u3");
    assertThat(ids(users().query("by_country_age").eq("NO").between(20, 40).reverse()))
        .containsExactly("u3", "u2", "u1");
    assertThat(ids(users().query("by_country_age").eq("NO").gt(50))).isEmpty();
    assertThat(ids(users().query("by_country_age").eq("NO").between(40, 20))).isEmpty();
    assertThat(ids(users().query("by_country_age").gt("NN").lt("NP"))).hasSize(5);
    assertThatThrownBy(() -> users().query("by_country_age").eq("NO").gt(1).ge(2))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> users().query("by_country_age").gt("NO").eq(1))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  default void aNullOrUnknownIndexFailsUpFrontWhateverTheData() {
    assertThatThrownBy(() -> users().query(null)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("scanAll");
    assertThatThrownBy(() -> users().query("by_nothing"))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown index");
    ages(30, 40);
    assertThatThrownBy(() -> users().query(null)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> users().count(null)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  default void numbersOfAnotherTypeAreConvertedExactlyOrRefused() {
    double[] ratings = {-1.0, 0.5, 1.0, 1.5, 2.0};
    for (int i = 0; i < ratings.length; i++) {
      users().insert(User.of("r" + i, "r" + i + "@x", "n", "NO", 30 + i).withRating(ratings[i]));
    }
    // an int on a double field means the same double
    assertThat(ids(users().query("by_rating").gt(1))).containsExactly("r3", "r4");
    assertThat(ids(users().query("by_rating").ge(1L).lt(2))).containsExactly("r2", "r3");
    assertThat(ids(users().query("by_rating").eq(-1))).containsExactly("r0");
    assertThat(users().count("by_rating", 2)).isEqualTo(1);
    // a whole double on an integer field means the same integer
    assertThat(ids(users().query("by_country_age").eq("NO").gt(32.0))).containsExactly("r3", "r4");
    assertThat(users().count("by_country_age", "NO", 30.0)).isEqualTo(1);
    // no exact equivalent: refused, naming the field
    assertThatThrownBy(() -> users().query("by_country_age").eq("NO").gt(32.5))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("age");
    assertThatThrownBy(() -> users().query("by_rating").lt((1L << 53) + 1))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("rating");
    assertThatThrownBy(() -> users().count("by_country_age", "NO", 30.25))
        .isInstanceOf(InvalidArgumentException.class);
    // a declared field type also converts the indexed values
    Model<Product> priced = Model.builder(Product.class, "priced").id(Product::id)
        .index("by_price", ix -> ix.field("price", Double.class, Product::priceCents)).build();
    ModelStore<Product> store = DataStore.models().model(priced).open(tito()).store(priced);
    store.insert(new Product("a", "A", 5));
    store.insert(new Product("b", "B", 7));
    assertThat(store.query("by_price").gt(5.5).page().values()).extracting(Product::id)
        .containsExactly("b");
    assertThat(store.query("by_price").ge(5).page().values()).extracting(Product::id)
        .containsExactly("a", "b");
  }

  @Test
  default void limitAndReverse() {
    ages(1, 2, 3, 4, 5);
    Page<User> page = users().query("by_country_age").eq("NO").reverse().limit(2).page();
    assertThat(page.items()).extracting(Versioned::id).containsExactly("u4", "u3");
    assertThat(page.hasMore()).isTrue();
    Page<User> all = users().query("by_country_age").eq("NO").limit(5).page();
    assertThat(all.items()).hasSize(5);
    assertThat(all.continuation()).isNull();
  }

  @Test
  default void continuationsResumeExactlyForwardAndReverseWithPrefixKeys() {
    String[] names = {"", "a", "a\u0000", "a\u0000\u0000", "ab", "abc", "b", "ba", "\u0000", "é"};
    for (int i = 0; i < names.length; i++) {
      users().insert(User.of(names[i] + "#" + i, "e" + i, names[i], "NO", 1));
      users().insert(User.of(names[i], "f" + i, names[i], "NO", 1));
    }
    List<Object> forward = ids(users().query("by_name"));
    List<Object> reverse = ids(users().query("by_name").reverse());
    assertThat(forward).hasSize(2 * names.length);
    assertThat(reverse).containsExactlyElementsOf(reversed(forward));
    for (int size = 1; size <= 7; size++) {
      assertThat(drain(() -> users().query("by_name"), size)).containsExactlyElementsOf(forward);
      assertThat(drain(() -> users().query("by_name").reverse(), size))
          .containsExactlyElementsOf(reverse);
      assertThat(drain(() -> users().scanAll(), size)).containsExactlyElementsOf(ids(users().scanAll()));
      assertThat(drain(() -> users().scanAll().reverse(), size))
          .containsExactlyElementsOf(reversed(ids(users().scanAll())));
      assertThat(drain(() -> users().query("by_name").startsWith("a"), size)).hasSize(10);
    }
  }

  @Test
  default void rowsWrittenBetweenPagesAreSeenOnlyAfterTheContinuation() {
    ages(10, 20, 30);
    Page<User> first = users().query("by_country_age").eq("NO").limit(2).page();
    users().insert(User.of("early", "early@x", "e", "NO", 5));
    users().insert(User.of("late", "late@x", "l", "NO", 25));
    Page<User> second = users().query("by_country_age").eq("NO").limit(10)
        .after(first.continuation()).page();
    assertThat(second.items()).extracting(Versioned::id).containsExactly("late", "u2");
  }

  @Test
  default void badContinuationsFailClearly() {
    ages(1, 2, 3);
    String token = users().query("by_country_age").eq("NO").limit(1).page().continuation();
    assertThat(token).isNotNull();
    assertThatThrownBy(() -> users().query("by_country_age").eq("NO").after("%%%").page())
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> users().query("by_country_age").eq("NO").after("AAAA").page())
        .isInstanceOf(InvalidArgumentException.class);
    byte[] raw = Base64.getUrlDecoder().decode(token);
    for (int i = 0; i < raw.length; i++) {
      byte[] tampered = raw.clone();
      tampered[i] ^= 0x01;
      String bad = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
      assertThatThrownBy(() -> users().query("by_country_age").eq("NO").after(bad).page())
          .isInstanceOf(InvalidArgumentException.class);
    }
    assertThatThrownBy(() -> users().query("by_country_age").eq("NO").reverse().after(token).page())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("different query");
    assertThatThrownBy(() -> users().query("by_country_age").eq("SE").after(token).page())
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("different query");
    assertThatThrownBy(() -> users().query("by_name").after(token).page())
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(users().query("by_country_age").eq("NO").limit(5).after(token).page().items())
        .extracting(Versioned::id).containsExactly("u1", "u2");
  }

  @Test
  default void residualFilterIsBoundedByMaxScanAndStillPagesExactly() {
    for (int i = 0; i < 30; i++) {
      users().insert(User.of(String.format("u%02d", i), i + "@x", "n", "NO", i));
    }
    Page<User> page = users().query("by_country_age").eq("NO").filter(u -> u.age() % 10 == 9)
        .limit(10).maxScan(5).page();
    assertThat(page.items()).isEmpty();
    assertThat(page.scanned()).isEqualTo(5);
    assertThat(page.hasMore()).isTrue();
    List<Object> all = new ArrayList<>();
    String token = null;
    do {
      Page<User> p = users().query("by_country_age").eq("NO").filter(u -> u.age() % 10 == 9)
          .limit(2).maxScan(4).after(token).page();
      assertThat(p.scanned()).isLessThanOrEqualTo(4);
      p.items().forEach(v -> all.add(v.id()));
      token = p.continuation();
    } while (token != null);
    assertThat(all).containsExactly("u09", "u19", "u29");
  }

  @Test
  default void fullScanIsExplicitAndFiltersInIdOrder() {
    ages(50, 10, 40, 20);
    assertThat(users().scanAll().filter(u -> u.age() >= 20).page().items())
        .extracting(Versioned::id).containsExactly("u0", "u2", "u3");
    assertThat(users().scanAll().ge("u2").page().items()).extracting(Versioned::id)
        .containsExactly("u2", "u3");
    assertThat(users().scanAll().reverse().limit(1).page().items()).extracting(Versioned::id)
        .containsExactly("u3");
  }

  @Test
  default void queriesRunInTheCallersTransactionAndSeeItsWrites() {
    ages(1);
    List<Versioned<User>> seen = tito().transaction(tx -> {
      users().insert(tx, User.of("tx", "tx@x", "t", "NO", 2));
      return users().query("by_country_age").eq("NO").page(tx).items();
    });
    assertThat(seen).extracting(Versioned::id).containsExactly("u0", "tx");
  }

  private static List<Object> reversed(List<Object> list) {
    List<Object> r = new ArrayList<>(list);
    java.util.Collections.reverse(r);
    return r;
  }
}
