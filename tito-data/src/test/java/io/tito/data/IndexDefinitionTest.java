package io.tito.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.tuple.Tuple;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two stores that declare one index name differently: the second is refused with both definitions. */
class IndexDefinitionTest {

  record Person(String id, String city, int age) {}

  private final Tito tito = Tito.open(new MemoryEngine());

  @AfterEach
  void close() {
    tito.close();
  }

  private static Model<Person> people(UnaryOperator<Index.Spec<Person>> byCity) {
    return Model.builder(Person.class, "people").id(Person::id).index("by_city", byCity).build();
  }

  private static final Model<Person> BY_CITY = people(ix -> ix.field("city", Person::city));

  @Test
  void aStoreDeclaringAnotherDefinitionUnderARegisteredNameIsRefused() {
    DataStore first = DataStore.models(BY_CITY).open(tito);
    first.store(BY_CITY).insert(new Person("1", "Oslo", 30));

    for (Model<Person> other : List.of(
        people(ix -> ix.field("city", Person::city).field("age", Person::age)),
        people(ix -> ix.field("city", Person::city).unique()),
        people(ix -> ix.field("city", Person::city).covering()),
        people(ix -> ix.field("city", Person::city).where(p -> p.age() > 18)),
        people(ix -> ix.values(List.of("city"), p -> List.of(Tuple.of(p.city())))),
        people(ix -> ix.field("age", Person::age)))) {
      assertThatThrownBy(() -> DataStore.models(other).open(tito))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("another definition")
          .hasMessageContaining("stored=" + BY_CITY.index("by_city").orElseThrow().definition())
          .hasMessageContaining("declared=" + other.index("by_city").orElseThrow().definition());
    }
    // The same definition opens, and the first store still queries its index.
    DataStore.models(people(ix -> ix.field("city", Person::city))).open(tito);
    assertThat(first.store(BY_CITY).count("by_city")).isEqualTo(1);
  }

  @Test
  void droppedIndexCanBeDeclaredAgainWithANewDefinition() {
    DataStore.models(BY_CITY).open(tito).store(BY_CITY).insert(new Person("1", "Oslo", 30));
    Model<Person> bare = Model.builder(Person.class, "people").id(Person::id).build();
    DataStore.models(bare).open(tito).dropIndex("people", "by_city");

    Model<Person> composite = people(ix -> ix.field("city", Person::city).field("age", Person::age));
    DataStore reopened = DataStore.models(composite).open(tito);
    reopened.store(composite).buildIndex("by_city", 10, null);
    assertThat(reopened.store(composite).count("by_city")).isEqualTo(1);
    assertThatThrownBy(() -> DataStore.models(BY_CITY).open(tito))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("another definition");
  }

  @Test
  void aStoreThatDoesNotRegisterNewIndexesIsCheckedToo() {
    DataStore.models(BY_CITY).open(tito);
    Model<Person> other = people(ix -> ix.field("age", Person::age));
    assertThatThrownBy(() -> DataStore.models(other).registerNewIndexes(false).open(tito))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("another definition");
  }

  @Test
  void definitionsNameWhatTheyCompare() {
    assertThat(BY_CITY.index("by_city").orElseThrow().definition())
        .isEqualTo("fields=city unique=false covering=false conditional=false multiValued=false");
    assertThat(people(ix -> ix.field("age", Person::age).unique()).index("by_city").orElseThrow().definition())
        .isEqualTo("fields=age:integer unique=true covering=false conditional=false multiValued=false");
  }
}
