package io.tito.internal.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tito.docs.DocIndex;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The index tuples of a document for a {@link DocIndex}. Stateless. */
public final class IndexValues {

  private IndexValues() {}

  /** One tuple per combination of the fields' values (array fields give one per element). */
  public static List<Tuple> of(DocIndex index, JsonNode body) {
    List<Tuple> out = List.of(Tuple.EMPTY);
    for (int i = 0; i < index.paths().size(); i++) {
      JsonNode n = JsonPaths.get(body, index.path(i));
      List<Object> values = new ArrayList<>();
      if (index.isArray(i)) {
        Set<Object> distinct = new LinkedHashSet<>();
        if (n.isArray()) {
          for (JsonNode e : n) {
            if (!e.isContainerNode()) {
              distinct.add(Values.of(e));
            }
          }
        }
        values.addAll(distinct);
      } else {
        values.add(Values.of(n));
      }
      List<Tuple> next = new ArrayList<>();
      for (Tuple t : out) {
        for (Object v : values) {
          next.add(t.add(v));
        }
      }
      out = next;
    }
    return out;
  }
}
