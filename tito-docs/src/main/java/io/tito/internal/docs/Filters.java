package io.tito.internal.docs;

import io.tito.docs.Filter;
import java.util.LinkedHashSet;
import java.util.Set;

/** Facts about filter trees. Stateless. */
final class Filters {

  private Filters() {}

  /** Every document path {@code f} reads. */
  static Set<String> paths(Filter f) {
    Set<String> out = new LinkedHashSet<>();
    collect(f, out);
    return out;
  }

  private static void collect(Filter f, Set<String> out) {
    switch (f) {
      case Filter.Compare c -> out.add(c.path());
      case Filter.Between b -> out.add(b.path());
      case Filter.In i -> out.add(i.path());
      case Filter.Exists e -> out.add(e.path());
      case Filter.StartsWith s -> out.add(s.path());
      case Filter.Contains c -> out.add(c.path());
      case Filter.And a -> a.parts().forEach(p -> collect(p, out));
      case Filter.Or o -> o.parts().forEach(p -> collect(p, out));
      case Filter.Not n -> collect(n.part(), out);
    }
  }
}
