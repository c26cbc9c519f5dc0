package io.tito.testkit.data;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.Tito;
import io.tito.data.Index;
import io.tito.data.ModelStore;
import io.tito.data.Page;
import io.tito.data.Versioned;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Recomputes a model's index entries from its records, independently of the maintainers, from the
 * documented key layout: {@code (root, "i", table, index, values..., id)} (unique entries with no
 * null value without the id) holding the tuple {@code (deleted, id[, record])}. Used to check
 * that a record and its index entries never disagree. Every index the model declares is expected
 * to be registered in the store (not DISABLED).
 */
public final class IndexAudit {

  private IndexAudit() {}

  /** Expected entries as printable "index key -> (deleted, id)" lines, in key order. */
  public static <T> List<String> expected(Tito tito, ModelStore<T> store) {
    Subspace base = tito.root().subspace("i", store.model().table());
    TreeMap<Tuple, String> out = new TreeMap<>();
    String token = null;
    do {
      Page<T> page = store.scanAll().includeDeleted().limit(1000).after(token).page();
      for (Versioned<T> v : page.items()) {
        for (Index<T> ix : store.model().indexes()) {
          for (Tuple values : ix.valuesOf(v.value())) {
            boolean unique = ix.unique() && !values.items().contains(null);
            Tuple key = Tuple.of(ix.name()).addAll(unique ? values : values.add(v.id()));
            out.put(key, Tuple.of(v.deleted(), v.id()).toString());
          }
        }
      }
      token = page.continuation();
    } while (token != null);
    return render(out, base);
  }

  /** The entries actually stored, in the same form. */
  public static <T> List<String> actual(Tito tito, ModelStore<T> store) {
    Subspace base = tito.root().subspace("i", store.model().table());
    TreeMap<Tuple, String> out = new TreeMap<>();
    tito.read(tx -> {
      try (KeyValueCursor c = tx.scan(base.range())) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          Tuple value = Tuple.unpack(kv.value());
          out.put(base.unpack(kv.key()), Tuple.of(value.get(0), value.get(1)).toString());
        }
      }
      return null;
    });
    return render(out, base);
  }

  private static List<String> render(TreeMap<Tuple, String> entries, Subspace base) {
    List<String> lines = new ArrayList<>();
    entries.forEach((k, v) -> lines.add(k + " -> " + v));
    return lines;
  }
}
