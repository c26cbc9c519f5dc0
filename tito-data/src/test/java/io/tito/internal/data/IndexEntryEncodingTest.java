package io.tito.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.data.Index;
import io.tito.data.Model;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Index entries are written without intermediate tuples; their keys and values stay byte for
 * byte the reference encodings: key {@code space.pack(values)} (unique, no null) or {@code
 * space.pack(values.add(id))}, value {@code Tuple.of(deleted, id[, raw]).pack()}.
 */
class IndexEntryEncodingTest {

  record Row(Object id, String email, String city, Long age) {}

  private static final Subspace SPACE = Subspace.of("ix", "rows", "i\u00e9", 3L);

  @Test
  void keysAndValuesAreTheReferenceTupleEncodings() {
    Model<Row> model = Model.builder(Row.class, "rows").id(Row::id)
        .index("by_email", ix -> ix.field("email", Row::email).unique())
        .index("by_city_age", ix -> ix.field("city", Row::city).field("age", Row::age))
        .index("covered", ix -> ix.field("city", Row::city).covering())
        .build();
    List<Row> rows = List.of(
        new Row("a", "a@x", "Paris", 30L),
        new Row(7L, null, "K\u00f6ln\u0000", -1L),
        new Row(UUID.fromString("00000000-0000-0001-0000-000000000002"), "\u0000e", null, null),
        new Row(new byte[] {0, 1, 0}, "b@x", "", Long.MIN_VALUE));
    int checked = 0;
    for (Index<Row> index : model.indexes()) {
      ValueIndexMaintainer<Row> m = new ValueIndexMaintainer<>("rows", index, SPACE);
      for (Row row : rows) {
        for (boolean deleted : new boolean[] {false, true}) {
          Object id = model.idOf(row);
          byte[] raw = {'{', 0, '}'};
          StoredRecord stored = new StoredRecord(3, deleted, null, null, raw);
          Map<byte[], ValueIndexMaintainer.Entry> entries =
              m.entries(id, new IndexMaintainer.RecordState<>(row, stored, raw));
          List<byte[]> expectedKeys = new ArrayList<>();
          for (Tuple values : index.valuesOf(row)) {
            boolean unique = index.unique() && !values.items().contains(null);
            expectedKeys.add(unique ? SPACE.pack(values) : SPACE.pack(values.add(id)));
          }
          byte[] expectedValue = index.covering()
              ? Tuple.of(deleted, id, raw).pack() : Tuple.of(deleted, id).pack();
          assertThat(entries.keySet()).containsExactlyElementsOf(expectedKeys);
          for (ValueIndexMaintainer.Entry e : entries.values()) {
            assertThat(e.value()).isEqualTo(expectedValue);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(3 * 4 * 2);
  }
}
