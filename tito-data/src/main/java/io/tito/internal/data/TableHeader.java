package io.tito.internal.data;

import io.tito.InvalidArgumentException;
import io.tito.data.Model;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metadata of one table, stored at {@code (root, "m", "table", table)} as the tuple
 * {@code (metadata version, index names...)}: the indexes registered in the store (READABLE or
 * WRITE_ONLY), which every writer must maintain. The version grows by one with every change of
 * the set and whenever an index becomes READABLE (like the FoundationDB Record Layer's store
 * header), so a query can trust an index state cached under the same header bytes (see
 * {@link IndexStates}). An absent header means no index is registered. Immutable.
 *
 * @param version the metadata version, 0 when no header is stored
 * @param indexes the registered index names, sorted
 */
public record TableHeader(long version, Set<String> indexes) {

  /** No header stored. */
  public static final TableHeader NONE = new TableHeader(0, Set.of());

  public TableHeader {
    indexes = Collections.unmodifiableSet(new TreeSet<>(indexes));
  }

  /** The header of stored bytes, or {@link #NONE} for null. */
  public static TableHeader decode(byte[] raw) {
    if (raw == null) {
      return NONE;
    }
    Tuple t = Tuple.unpack(raw);
    Set<String> names = new TreeSet<>();
    for (int i = 1; i < t.size(); i++) {
      names.add(t.getString(i));
    }
    return new TableHeader(t.getLong(0), names);
  }

  /** The bytes to store. */
  public byte[] encode() {
    List<Object> items = new ArrayList<>();
    items.add(version);
    items.addAll(indexes);
    return Tuple.fromList(items).pack();
  }

  /** This header with {@code indexes} instead, at the next version. */
  public TableHeader with(Set<String> newIndexes) {
    return new TableHeader(version + 1, newIndexes);
  }

  /**
   * Checks that {@code model} declares every registered index, so that its writes keep them all
   * up to date.
   *
   * @throws InvalidArgumentException naming the indexes the definition lacks
   */
  public void requireDeclaredBy(Model<?> model) {
    List<String> missing = new ArrayList<>();
    for (String name : indexes) {
      if (model.index(name).isEmpty()) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      Map<String, Object> ctx = new LinkedHashMap<>();
      ctx.put("table", model.table());
      ctx.put("missingIndexes", missing);
      ctx.put("metadataVersion", version);
      throw new InvalidArgumentException("model definition lacks indexes the store maintains: "
          + "writes are refused until this process runs a definition that declares them", ctx);
    }
  }
}
