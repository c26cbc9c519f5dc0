package io.tito.testkit;

import io.tito.ByteArrays;
import io.tito.KeyValue;
import io.tito.ScanOptions;
import io.tito.spi.EngineTransaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The obviously-correct model the conformance kit compares engines against: a {@link TreeMap}
 * ordered by unsigned bytes ({@link ByteArrays#COMPARATOR}). Not thread-safe. Arrays are copied
 * in and out, like an engine does.
 */
public final class ReferenceModel {

  private final TreeMap<byte[], byte[]> rows = new TreeMap<>(ByteArrays.COMPARATOR);

  /** An empty model. */
  public ReferenceModel() {}

  /** An independent copy of this model. */
  public ReferenceModel copy() {
    ReferenceModel m = new ReferenceModel();
    rows.forEach((k, v) -> m.rows.put(k, v));
    return m;
  }

  /** Writes {@code value} at {@code key}. */
  public void set(byte[] key, byte[] value) {
    rows.put(key.clone(), value.clone());
  }

  /** Removes {@code key} if present. */
  public void clear(byte[] key) {
    rows.remove(key);
  }

  /** Removes every key in {@code [begin, end)}; nothing if {@code begin >= end}. */
  public void clearRange(byte[] begin, byte[] end) {
    if (ByteArrays.compare(begin, end) < 0) {
      rows.subMap(begin, true, end, false).clear();
    }
  }

  /** The value at {@code key}, or {@code null}. */
  public byte[] get(byte[] key) {
    byte[] v = rows.get(key);
    return v == null ? null : v.clone();
  }

  /** The rows an engine must return for this scan. */
  public List<KeyValue> scan(byte[] begin, byte[] end, ScanOptions options) {
    return scan(begin, end, options.reverse(), options.limit());
  }

  /** The rows an engine must return for a scan of {@code [begin, end)}; {@code limit 0} means all. */
  public List<KeyValue> scan(byte[] begin, byte[] end, boolean reverse, int limit) {
    List<KeyValue> out = new ArrayList<>();
    if (ByteArrays.compare(begin, end) >= 0) {
      return out;
    }
    NavigableMap<byte[], byte[]> range = rows.subMap(begin, true, end, false);
    for (Map.Entry<byte[], byte[]> e : (reverse ? range.descendingMap() : range).entrySet()) {
      if (limit > 0 && out.size() >= limit) {
        break;
      }
      out.add(new KeyValue(e.getKey().clone(), e.getValue().clone()));
    }
    return out;
  }

  /** Every row in key order. */
  public List<KeyValue> rows() {
    List<KeyValue> out = new ArrayList<>(rows.size());
    rows.forEach((k, v) -> out.add(new KeyValue(k.clone(), v.clone())));
    return out;
  }

  /** The keys in order (unmodifiable; do not change the arrays). */
  public NavigableMap<byte[], byte[]> view() {
    return Collections.unmodifiableNavigableMap(rows);
  }

  /** Number of keys. */
  public int size() {
    return rows.size();
  }

  /** Sets every row of this model in {@code tx}. */
  public void writeTo(EngineTransaction tx) {
    rows.forEach(tx::set);
  }

  @Override
  public String toString() {
    return rows().toString();
  }
}
