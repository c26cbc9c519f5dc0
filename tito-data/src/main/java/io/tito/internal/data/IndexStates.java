package io.tito.internal.data;

import io.tito.InvalidArgumentException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.data.Index;
import io.tito.data.IndexState;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Index states, stored at {@code (root, "m", "index", table, index)} as the tuple
 * {@code (state name, last indexed record key or null)} and cached, and the {@link TableHeader}
 * listing the registered ones. A cached READABLE is final;
 * anything else is re-read before a query fails. Thread-safe.
 */
public final class IndexStates {

  private final Keys keys;
  private final Map<String, IndexState> cache = new ConcurrentHashMap<>();

  public IndexStates(Keys keys) {
    this.keys = keys;
  }

  /**
   * Reads the state of every index of a model and, if {@code registerNew}, registers the indexes
   * the store has never seen: on an empty table READABLE at once, on a non-empty one WRITE_ONLY
   * until built. Unregistered indexes are DISABLED (not maintained, not queryable). Keeps the
   * table header in step with the registered indexes.
   */
  public <T> void init(Transaction tx, Records<T> records, boolean registerNew) {
    String table = records.model().table();
    Map<String, IndexState> stored = new LinkedHashMap<>();
    Subspace stateSpace = keys.indexStates(table);
    try (KeyValueCursor c = tx.scan(stateSpace.range())) {
      while (c.hasNext()) {
        KeyValue kv = c.next();
        stored.put(stateSpace.unpack(kv.key()).getString(0),
            IndexState.valueOf(Tuple.unpack(kv.value()).getString(0)));
      }
    }
    Boolean empty = null;
    for (Index<T> ix : records.model().indexes()) {
      IndexState state = stored.get(ix.name());
      if (state == null && registerNew) {
        if (empty == null) {
          empty = isEmpty(tx, records);
        }
        state = empty ? IndexState.READABLE : IndexState.WRITE_ONLY;
        write(tx, table, ix.name(), state, null);
        stored.put(ix.name(), state);
      }
      cache.put(table + '\0' + ix.name(), state == null ? IndexState.DISABLED : state);
    }
    syncHeader(tx, table, stored.keySet());
  }

  /**
   * Whether the table holds no record, in a way that conflicts with a concurrent insert: the
   * empty record range is also cleared (a no-op in this snapshot), so a record committed after
   * this snapshot makes the commit fail, and the retry sees it.
   */
  static boolean isEmpty(Transaction tx, Records<?> records) {
    try (KeyValueCursor c = tx.scan(records.space().range(), ScanOptions.FORWARD.withLimit(1))) {
      if (c.hasNext()) {
        return false;
      }
    }
    tx.clearRange(records.space().range());
    return true;
  }

  /** Registers a DISABLED index as WRITE_ONLY (before an online build). */
  public void register(Transaction tx, String table, String index) {
    if (stored(tx, table, index) != null) {
      return;
    }
    write(tx, table, index, IndexState.WRITE_ONLY, null);
    TableHeader h = header(tx, table);
    Set<String> names = new TreeSet<>(h.indexes());
    names.add(index);
    syncHeader(tx, table, names);
  }

  /** Removes an index's state and its name from the table header. */
  public void drop(Transaction tx, String table, String index) {
    forget(tx, table, index);
    Set<String> names = new TreeSet<>(header(tx, table).indexes());
    names.remove(index);
    syncHeader(tx, table, names);
  }

  /** The stored header of {@code table}. */
  public TableHeader header(Transaction tx, String table) {
    return TableHeader.decode(tx.get(keys.tableHeader(table)));
  }

  private void syncHeader(Transaction tx, String table, Set<String> names) {
    TableHeader h = header(tx, table);
    if (h == TableHeader.NONE && names.isEmpty()) {
      return;
    }
    if (!h.indexes().equals(new TreeSet<>(names))) {
      tx.set(keys.tableHeader(table), h.with(names).encode());
    }
  }

  /** The cached state. */
  public IndexState cached(String table, String index) {
    return cache.getOrDefault(table + '\0' + index, IndexState.WRITE_ONLY);
  }

  /**
   * Checks that the index is readable, re-reading the stored state when the cache says otherwise.
   *
   * @throws InvalidArgumentException if it is not readable yet
   */
  public void requireReadable(Transaction tx, String table, String index) {
    if (cached(table, index) == IndexState.READABLE) {
      return;
    }
    byte[] raw = tx.get(keys.indexState(table, index));
    if (raw != null && Tuple.unpack(raw).getString(0).equals(IndexState.READABLE.name())) {
      cache.put(table + '\0' + index, IndexState.READABLE);
      return;
    }
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("table", table);
    ctx.put("index", index);
    ctx.put("state", raw == null ? "UNKNOWN" : Tuple.unpack(raw).getString(0));
    throw new InvalidArgumentException(
        "index is not readable yet: build it with ModelStore.buildIndex", ctx);
  }

  /** The stored last-indexed record key of a build in progress, or null. */
  public byte[] buildCursor(Transaction tx, String table, String index) {
    byte[] raw = tx.get(keys.indexState(table, index));
    return raw == null || Tuple.unpack(raw).isNull(1) ? null : Tuple.unpack(raw).getBytes(1);
  }

  /** The stored state, or null when none is stored. */
  public IndexState stored(Transaction tx, String table, String index) {
    byte[] raw = tx.get(keys.indexState(table, index));
    return raw == null ? null : IndexState.valueOf(Tuple.unpack(raw).getString(0));
  }

  /** Writes a state (and the build cursor); the cache follows after commit. */
  public void write(Transaction tx, String table, String index, IndexState state, byte[] cursor) {
    tx.set(keys.indexState(table, index), Tuple.of(state.name(), cursor).pack());
    tx.afterCommit(() -> cache.put(table + '\0' + index, state));
  }

  /** Forgets a dropped index. */
  public void forget(Transaction tx, String table, String index) {
    tx.clear(keys.indexState(table, index));
    tx.afterCommit(() -> cache.remove(table + '\0' + index));
  }
}
