package io.tito.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.tuple.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Numeric index field types: inferred or declared, exact conversion or refusal. */
class IndexFieldTypeTest {

  record Thing(String id, int count, double weight, Float ratio, String label) {}

  public static class Bean {
    private long size;
    public double score;

    public long getSize() {
      return size;
    }
  }

  private static Index<Thing> index(String name) {
    return Model.builder(Thing.class, "things").id(Thing::id)
        .index("by_count", ix -> ix.field("count", Thing::count))
        .index("by_weight", ix -> ix.field("weight", Thing::weight))
        .index("by_ratio", ix -> ix.field("ratio", Thing::ratio))
        .index("by_label", ix -> ix.field("label", Thing::label))
        .index("declared", ix -> ix.field("anything", Double.class, Thing::count))
        .index("multi", ix -> ix.values(List.of("w"), t -> List.of(Tuple.of(t.count()))))
        .build().index(name).orElseThrow();
  }

  @Test
  void integersOnADoubleFieldBecomeDoublesWhenExact() {
    Index<Thing> ix = index("by_weight");
    assertThat(ix.toFieldType(0, 1)).isEqualTo(1.0);
    assertThat(ix.toFieldType(0, -(1L << 53))).isEqualTo(-0x1p53);
    assertThat(ix.toFieldType(0, 1.5f)).isEqualTo(1.5);
    assertThatThrownBy(() -> ix.toFieldType(0, (1L << 53) + 1))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("weight");
    assertThatThrownBy(() -> ix.toFieldType(0, Long.MAX_VALUE))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(ix.toFieldType(0, null)).isNull();
    assertThat(ix.toFieldType(0, "text")).isEqualTo("text");
  }

  @Test
  void wholeDoublesOnAnIntegerFieldBecomeLongs() {
    Index<Thing> ix = index("by_count");
    assertThat(ix.toFieldType(0, 30.0)).isEqualTo(30L);
    assertThat(ix.toFieldType(0, -0.0)).isEqualTo(0L);
    assertThat(ix.toFieldType(0, 7)).isEqualTo(7);
    for (double bad : new double[] {30.5, Double.NaN, Double.POSITIVE_INFINITY, 0x1p63}) {
      assertThatThrownBy(() -> ix.toFieldType(0, bad)).isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  void floatFieldsTakeExactlyRepresentableValues() {
    Index<Thing> ix = index("by_ratio");
    assertThat(ix.toFieldType(0, 0.5)).isEqualTo(0.5f);
    assertThat(ix.toFieldType(0, 3)).isEqualTo(3.0f);
    assertThatThrownBy(() -> ix.toFieldType(0, 0.1)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void declaredTypesWinAndUnknownTypesAreLeftAlone() {
    assertThat(index("declared").toFieldType(0, 2)).isEqualTo(2.0);
    assertThat(index("declared").valuesOf(new Thing("a", 4, 0, 0f, "x")))
        .containsExactly(Tuple.of(4.0));
    assertThat(index("by_label").toFieldType(0, 2)).isEqualTo(2);
    assertThat(index("multi").toFieldType(0, 2.5)).isEqualTo(2.5);
  }

  @Test
  void beanGettersAndFieldsGiveTheType() {
    assertThat(Index.propertyType(Bean.class, "size")).isEqualTo(long.class);
    assertThat(Index.propertyType(Bean.class, "score")).isEqualTo(double.class);
    assertThat(Index.propertyType(Bean.class, "nothing")).isNull();
  }
}
