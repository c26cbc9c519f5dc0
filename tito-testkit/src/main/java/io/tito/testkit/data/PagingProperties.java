package io.tito.testkit.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.data.Query;
import io.tito.data.Versioned;
import io.tito.spi.Engine;
import io.tito.testkit.data.DataModels.User;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property kit, run per engine by a subclass giving {@link #createEngine()} (and the number of
 * tries through jqwik's {@code @PropertyDefaults}). Paging through any query with any page size (and any max-scan bound) yields exactly the
 * unpaged result, forward and reverse, and the unpaged result of the composite index equals a
 * plain-Java oracle sorted in tuple order.
 */
public abstract class PagingProperties {

  /** A new, empty engine for one try; closed by the kit. */
  protected abstract Engine createEngine();

  /** Called after each try, once the engine is closed (e.g. to delete its files). */
  protected void afterTry() {}


  /** One stored user's indexed fields. */
  public record Row(String name, String country, Integer age, List<String> tags) {}

  /** A query: index (0 name, 1 country+age, 2 tag, 3 full scan), bounds, direction, filter. */
  public record Shape(int index, String country, Integer from, Integer to, String prefix,
      boolean reverse, boolean filter) {}

  @Property
  void pagingEqualsTheUnpagedResult(@ForAll("rows") List<Row> rows, @ForAll("shapes") Shape s,
      @ForAll @IntRange(min = 1, max = 7) int pageSize,
      @ForAll @IntRange(min = 0, max = 9) int maxScan) {
    Model<User> model = DataModels.users();
    try (Tito tito = Tito.open(createEngine())) {
      ModelStore<User> users = DataStore.models().model(model).open(tito).store(model);
      List<User> all = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        User u = new User("u" + (i % 3 == 0 ? "" : i) + "#" + i, null, r.name(), r.country(),
            r.age(), 0L, 0.0, r.tags(), true, DataModels.Status.ACTIVE);
        users.insert(u);
        all.add(u);
      }
      Supplier<Query<User>> query = () -> shape(users, s);
      List<Object> unpaged = ids(query.get().limit(Integer.MAX_VALUE).page().items());
      List<Object> paged = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        Query<User> q = query.get().limit(pageSize).after(token);
        if (maxScan > 0) {
          q.maxScan(maxScan);
        }
        var page = q.page();
        paged.addAll(ids(page.items()));
        token = page.continuation();
        assertThat(++pages).isLessThan(1000);
      } while (token != null);
      assertThat(paged).isEqualTo(unpaged);
      if (s.index() == 1) {
        assertThat(unpaged).isEqualTo(oracle(all, s));
      }
    } finally {
      afterTry();
    }
  }

  private static Query<User> shape(ModelStore<User> users, Shape s) {
    Query<User> q = switch (s.index()) {
      case 0 -> users.query("by_name");
      case 1 -> users.query("by_country_age").eq(s.country());
      case 2 -> users.query("by_tag");
      default -> users.scanAll();
    };
    if (s.index() == 0 && s.prefix() != null) {
      q.startsWith(s.prefix());
    } else if (s.index() == 1) {
      if (s.from() != null) {
        q.ge(s.from());
      }
      if (s.to() != null) {
        q.lt(s.to());
      }
    }
    if (s.reverse()) {
      q.reverse();
    }
    if (s.filter()) {
      q.filter(evenAge());
    }
    return q;
  }

  private static Predicate<User> evenAge() {
    return u -> u.age() != null && u.age() % 2 == 0;
  }

  private static List<Object> oracle(List<User> all, Shape s) {
    Comparator<User> order = Comparator.comparing(u -> Tuple.of(u.age(), u.id()));
    List<User> out = new ArrayList<>(all.stream()
        .filter(u -> u.country().equals(s.country()))
        .filter(u -> s.from() == null || (u.age() != null && u.age() >= s.from()))
        .filter(u -> s.to() == null || u.age() == null || u.age() < s.to())
        .filter(u -> !s.filter() || evenAge().test(u))
        .sorted(s.reverse() ? order.reversed() : order)
        .toList());
    return out.stream().map(u -> (Object) u.id()).toList();
  }

  private static List<Object> ids(List<Versioned<User>> items) {
    return items.stream().map(Versioned::id).toList();
  }

  /** Random data sets. */
  @Provide
  public Arbitrary<List<Row>> rows() {
    return Combinators.combine(
        Arbitraries.of("", "a", "a\u0000", "ab", "abc", "b", "é"),
        Arbitraries.of("NO", "SE"),
        Arbitraries.of(-3, 0, 2, 4, 7).injectNull(0.15),
        Arbitraries.of("t1", "t2").list().ofMaxSize(2))
        .as(Row::new).list().ofMaxSize(20);
  }

  /** Random queries. */
  @Provide
  public Arbitrary<Shape> shapes() {
    return Combinators.combine(
        Arbitraries.integers().between(0, 3),
        Arbitraries.of("NO", "SE"),
        Arbitraries.of(-3, 0, 3).injectNull(0.5),
        Arbitraries.of(0, 4, 8).injectNull(0.5),
        Arbitraries.of("a", "ab", "é", "").injectNull(0.4),
        Arbitraries.of(true, false),
        Arbitraries.of(true, false))
        .as(Shape::new);
  }
}
