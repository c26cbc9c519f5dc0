package io.tito.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.tuple.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelDefinitionTest {

  record Item(String id, String name, String ownerId, Item owner) {}

  @Test
  void duplicateIndexNamesEmptyFieldsAndMissingIdAreReportedTogether() {
    assertThatThrownBy(() -> Model.builder(Item.class, "items")
        .index("by_name", ix -> ix.field("name", Item::name))
        .index("by_name", ix -> ix.field("name", Item::name))
        .index("empty", ix -> ix)
        .index("twice", ix -> ix.field("a", Item::name).field("a", Item::id))
        .build())
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("invalid model definition")
        .hasMessageContaining("duplicate index name {index=by_name}")
        .hasMessageContaining("index has no fields")
        .hasMessageContaining("names a field twice")
        .hasMessageContaining("model needs an id extractor");
  }

  @Test
  void blankNamesAndDottedNamesAreRejected() {
    assertThatThrownBy(() -> Model.builder(Item.class, " ")).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Model.builder(Item.class, "items").id(Item::id)
        .hasOne("a.b", "items", Item::ownerId, (Item i, Item o) -> i).build())
        .hasMessageContaining("must not contain '.'");
    assertThatThrownBy(() -> Model.builder(Item.class, "items").id(Item::id)
        .hasOne("owner", "items", Item::ownerId, (Item i, Item o) -> i)
        .hasOne("owner", "items", Item::ownerId, (Item i, Item o) -> i).build())
        .hasMessageContaining("duplicate relationship name");
  }

  @Test
  void dataStoreChecksRelationshipTargetsAndDuplicateTables() {
    Model<Item> m = Model.builder(Item.class, "items").id(Item::id)
        .hasOne("owner", "people", Item::ownerId, (Item i, Item o) -> i).build();
    try (Tito tito = Tito.open(new MemoryEngine())) {
      assertThatThrownBy(() -> DataStore.models().model(m).model(m).open(tito))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("duplicate table {table=items}")
          .hasMessageContaining("target=people");
      Model<Item> other = Model.builder(Item.class, "items").id(Item::id).build();
      DataStore ok = DataStore.models().model(other).open(tito);
      assertThatThrownBy(() -> ok.store(m)).isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  void indexValuesAreCheckedAgainstTheDeclaredFields() {
    Model<Item> m = Model.builder(Item.class, "items").id(Item::id)
        .index("bad", ix -> ix.values(List.of("a", "b"), i -> List.of(Tuple.of(i.name()))))
        .build();
    Index<Item> ix = m.index("bad").orElseThrow();
    assertThatThrownBy(() -> ix.valuesOf(new Item("1", "n", null, null)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("do not match the index fields");
    assertThat(m.normalizeId(7)).isEqualTo(7L);
  }

  @Test
  void unsupportedIndexValuesFailTheWrite() {
    record Odd(String id, Object thing) {}
    Model<Odd> m = Model.builder(Odd.class, "odd").id(Odd::id)
        .index("by_thing", ix -> ix.field("thing", Odd::thing)).codec(new Codec<>() {
          @Override
          public byte[] encode(Odd value) {
            return value.id().getBytes(java.nio.charset.StandardCharsets.UTF_8);
          }

          @Override
          public Odd decode(byte[] bytes) {
            return new Odd(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), null);
          }
        }).build();
    try (Tito tito = Tito.open(new MemoryEngine())) {
      ModelStore<Odd> s = DataStore.models().model(m).open(tito).store(m);
      assertThatThrownBy(() -> s.insert(new Odd("x", new StringBuilder("no"))))
          .isInstanceOf(InvalidArgumentException.class);
      assertThat(s.exists("x")).isFalse();
      s.insert(new Odd("y", null));
      assertThatThrownBy(() -> s.patch("y", Patch.set("/thing", 1)))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("JsonCodec");
    }
  }
}
