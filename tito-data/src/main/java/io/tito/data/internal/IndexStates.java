package io.tito.data.internal;

import io.tito.InvalidArgumentException;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Transaction;
import io.tito.data.Index;
import io.tito.data.IndexState;
import io.tito.tuple.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Index states, stored at {@code (root, "m", "index", table, index)} as the tuple
 * {@code (state name, last indexed record key or null)} and cached. A cached READABLE is final;
 * anything else is re-read before a query fails. Thread-safe.
 */
public final class IndexStates {

  private final Keys keys;
  private final Map<String, IndexState> cache = new ConcurrentHashMap<>();

  public IndexStates(Keys keys) {
    this.keys = keys;
  }

  /**
   * Reads (or, for a new index, decides and writes) the state of every index of a model: a new
   * index on an empty table is READABLE at once, on a non-empty one WRITE_ONLY until built.
   */
  public <T> void init(Transaction tx, Records<T> records) {
    Boolean empty = null;
    for (Index<T> ix : records.model().indexes()) {
      String table = records.model().table();
      byte[] raw = tx.get(keys.indexState(table, ix.name()));
      IndexState state;
      if (raw != null) {
        state = IndexState.valueOf(Tuple.unpack(raw).getString(0));
      } else {
        if (empty == null) {
          try (KeyValueCursor c = tx.scan(records.space().range(), ScanOptions.FORWARD.withLimit(1))) {
            empty = !c.hasNext();
          }
        }
        state = empty ? IndexState.READABLE : IndexState.WRITE_ONLY;
        write(tx, table, ix.name(), state, null);
      }
      cache.put(table + '\0' + ix.name(), state);
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
