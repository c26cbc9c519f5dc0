package io.tito.internal.data;

import io.tito.AlreadyExistsException;
import io.tito.ByteArrays;
import io.tito.ConflictException;
import io.tito.Transaction;
import io.tito.data.Index;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import io.tito.tuple.TupleWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
  /** {@code space}'s prefix, kept: entry keys are written after it without a tuple per key. */
  private final byte[] prefix;

  public ValueIndexMaintainer(String table, Index<T> index, Subspace space) {
    this.table = table;
    this.index = index;
    this.space = space;
    this.prefix = space.key();
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
    prepare(tx, id, before, after).apply(tx);
  }

  /**
   * Computes the entry changes from {@code before} to {@code after} and checks the unique ones,
   * writing nothing: the checks of every index of a write run before its first write.
   *
   * @throws AlreadyExistsException if a unique entry is held by another record
   * @throws io.tito.InvalidArgumentException if the values cannot be indexed
   */
  public Change prepare(Transaction tx, Object id, RecordState<T> before, RecordState<T> after) {
    if (before == null && after != null) {
      return prepareNew(tx, id, after);
    }
    Map<byte[], Entry> old = before == null ? Map.of() : entries(id, before);
    Map<byte[], Entry> neu = after == null ? Map.of() : entries(id, after);
    List<byte[]> clears = old.isEmpty() ? List.of() : new ArrayList<>(old.size());
    for (byte[] k : old.keySet()) {
      if (!neu.containsKey(k)) {
        clears.add(k);
      }
    }
    List<Map.Entry<byte[], byte[]>> sets = new ArrayList<>(neu.size());
    for (Map.Entry<byte[], Entry> e : neu.entrySet()) {
      Entry prev = old.get(e.getKey());
      if (prev != null && Arrays.equals(prev.value, e.getValue().value)) {
        continue;
      }
      if (prev == null && e.getValue().unique) {
        checkUnique(tx, id, e.getKey(), e.getValue().values);
      }
      sets.add(Map.entry(e.getKey(), e.getValue().value));
    }
    return new Change(clears, sets);
  }

  /**
   * {@link #prepare} for a record that had no entries (an insert): every entry is set, and no
   * ordered map is needed to compare old and new ones. The value tuples are distinct (see
   * {@link Index#valuesOf}), so their keys are.
   */
  private Change prepareNew(Transaction tx, Object id, RecordState<T> after) {
    List<Tuple> rows = index.valuesOf(after.value());
    if (rows.isEmpty()) {
      return new Change(List.of(), List.of());
    }
    byte[] value = entryValue(id, after);
    List<Map.Entry<byte[], byte[]>> sets = new ArrayList<>(rows.size());
    for (Tuple values : rows) {
      boolean unique = index.unique() && !hasNull(values);
      byte[] key = entryKey(values, unique, id);
      if (unique) {
        checkUnique(tx, id, key, values);
      }
      sets.add(Map.entry(key, value));
    }
    return new Change(List.of(), sets);
  }

  /** Whether an element of {@code values} is null (read in place: no list view, no iterator). */
  private static boolean hasNull(Tuple values) {
    for (int i = 0, n = values.size(); i < n; i++) {
      if (values.isNull(i)) {
        return true;
      }
    }
    return false;
  }

  private void checkUnique(Transaction tx, Object id, byte[] key, Tuple values) {
    if (tx.mayGuessReads()) {
      // The value is usually free: expect that (judged by the commit; a taken value fails it
      // with a retriable conflict, and the retry, which does not guess, reads and reports it).
      try {
        tx.expect(key, null);
        return;
      } catch (ConflictException e) {
        // the transaction's own writes hold the entry: read it below
      }
    }
    byte[] existing = tx.getExpectingAbsent(key);
    if (existing != null && !sameId(Tuple.unpack(existing).get(1), id)) {
      Map<String, Object> ctx = new LinkedHashMap<>();
      ctx.put("table", table);
      ctx.put("index", index.name());
      ctx.put("values", values.toString());
      ctx.put("heldBy", String.valueOf(Tuple.unpack(existing).get(1)));
      throw new AlreadyExistsException("unique index value is already taken", ctx);
    }
  }

  private byte[] entryValue(Object id, RecordState<T> state) {
    // Byte for byte Tuple.of(deleted, id[, raw]).pack(), without the tuple and the copy of raw.
    byte[] raw = index.covering() ? state.raw() : null;
    TupleWriter w = new TupleWriter(NO_PREFIX, 32 + (raw == null ? 0 : raw.length + raw.length / 8))
        .addObject(state.stored().deleted()).addObject(id);
    return index.covering() ? w.add(raw).toBytes() : w.toBytes();
  }

  /**
   * An entry's key: {@code space.pack(values)} if {@code unique}, else {@code
   * space.pack(values.add(id))}, written without the appended tuple.
   */
  private byte[] entryKey(Tuple values, boolean unique, Object id) {
    if (unique) {
      return space.pack(values);
    }
    return new TupleWriter(prefix, 48).addAll(values).addObject(id).toBytes();
  }

  private static final byte[] NO_PREFIX = new byte[0];

  /** The writes that bring one index from a record's old state to its new one. */
  public record Change(List<byte[]> clears, List<Map.Entry<byte[], byte[]>> sets) {

    /** Applies the clears, then the sets. */
    public void apply(Transaction tx) {
      for (byte[] k : clears) {
        tx.clear(k);
      }
      for (Map.Entry<byte[], byte[]> e : sets) {
        tx.set(e.getKey(), e.getValue());
      }
    }
  }

  /** Tuple code of {@code true}, the first byte of the value of a deleted record's entry. */
  private static final byte TRUE_CODE = 0x27;

  /**
   * Whether an entry value (as {@link #entries} packs it: deleted flag first) marks a deleted
   * record, read from its first byte without unpacking the rest: what an index-only count needs.
   */
  public static boolean deletedEntry(byte[] value) {
    return value.length > 0 && value[0] == TRUE_CODE;
  }

  /** The entries a record state has: key to value, in key order; empty for null. */
  public Map<byte[], Entry> entries(Object id, RecordState<T> state) {
    Map<byte[], Entry> out = new TreeMap<>(ByteArrays.COMPARATOR);
    if (state == null) {
      return out;
    }
    byte[] value = entryValue(id, state);
    for (Tuple values : index.valuesOf(state.value())) {
      boolean unique = index.unique() && !hasNull(values);
      byte[] key = entryKey(values, unique, id);
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
