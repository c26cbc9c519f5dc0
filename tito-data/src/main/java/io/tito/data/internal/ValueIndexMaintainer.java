package io.tito.data.internal;

import io.tito.AlreadyExistsException;
import io.tito.ByteArrays;
import io.tito.Transaction;
import io.tito.data.Index;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maintains a value index (single, composite, conditional, multi-valued, unique, covering).
 * Entry key: {@code (v1..vn, id)}, or {@code (v1..vn)} for a unique index whose values hold no
 * null, so that two records claiming the same values write the same key and conflict at commit
 * (first committer wins; the retry then finds the entry and fails with already-exists). Entry
 * value: the tuple {@code (deleted, id[, record bytes if covering])}. Thread-safe.
 *
 * @param <T> the model type
 */
public final class ValueIndexMaintainer<T> implements IndexMaintainer<T> {

  private final String table;
  private final Index<T> index;
  private final Subspace space;

  public ValueIndexMaintainer(String table, Index<T> index, Subspace space) {
    this.table = table;
    this.index = index;
    this.space = space;
  }

  /** The index definition. */
  public Index<T> index() {
    return index;
  }

  /** The subspace of its entries. */
  public Subspace space() {
    return space;
  }

  @Override
  public void update(Transaction tx, Object id, RecordState<T> before, RecordState<T> after) {
    Map<byte[], Entry> old = entries(id, before);
    Map<byte[], Entry> neu = entries(id, after);
    for (byte[] k : old.keySet()) {
      if (!neu.containsKey(k)) {
        tx.clear(k);
      }
    }
    for (Map.Entry<byte[], Entry> e : neu.entrySet()) {
      Entry prev = old.get(e.getKey());
      if (prev != null && Arrays.equals(prev.value, e.getValue().value)) {
        continue;
      }
      if (prev == null && e.getValue().unique) {
        byte[] existing = tx.get(e.getKey());
        if (existing != null && !sameId(Tuple.unpack(existing).get(1), id)) {
          Map<String, Object> ctx = new LinkedHashMap<>();
          ctx.put("table", table);
          ctx.put("index", index.name());
          ctx.put("values", e.getValue().values.toString());
          ctx.put("heldBy", String.valueOf(Tuple.unpack(existing).get(1)));
          throw new AlreadyExistsException("unique index value is already taken", ctx);
        }
      }
      tx.set(e.getKey(), e.getValue().value);
    }
  }

  /** The entries a record state has: key to value, in key order; empty for null. */
  public Map<byte[], Entry> entries(Object id, RecordState<T> state) {
    Map<byte[], Entry> out = new TreeMap<>(ByteArrays.COMPARATOR);
    if (state == null) {
      return out;
    }
    byte[] value = index.covering()
        ? Tuple.of(state.stored().deleted(), id, state.raw()).pack()
        : Tuple.of(state.stored().deleted(), id).pack();
    for (Tuple values : index.valuesOf(state.value())) {
      boolean unique = index.unique() && !values.items().contains(null);
      byte[] key = unique ? space.pack(values) : space.pack(values.add(id));
      out.put(key, new Entry(values, value, unique));
    }
    return out;
  }

  /** Whether two normalised ids are the same (byte arrays by content). */
  public static boolean sameId(Object a, Object b) {
    return Tuple.of(a).equals(Tuple.of(b));
  }

  /** One index entry. */
  public record Entry(Tuple values, byte[] value, boolean unique) {}
}
