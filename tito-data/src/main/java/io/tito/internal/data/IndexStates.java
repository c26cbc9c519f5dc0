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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Index states, stored at {@code (root, "m", "index", table, index)} as the tuple
 * {@code (state name, last indexed record key or null)} and cached, and the {@link TableHeader}
 * listing the registered ones.
 *
 * <p>A state changes only together with the table header (register, drop, and marking an index
 * readable all write a new header version), so a READABLE seen under header bytes H holds in
 * every snapshot whose header is H. A cached READABLE is therefore kept with the header it was
 * seen under, and a query trusts it only after reading the header in its own transaction and
 * finding the same bytes (one point read); otherwise, as for any other cached state, it re-reads
 * the stored state. Another process (or data store) dropping, re-registering or rebuilding the
 * index is so seen by the next query, and the query reads the index in the snapshot in which it
 * checked it. Thread-safe.
 */
public final class IndexStates {

  private final Keys keys;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /**
   * A state as last seen, with the stored table header it was seen under ({@code null}: none
   * stored, or not known).
   */
  private record Cached(IndexState state, byte[] header) {}

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
    Map<String, String> definitions = definitions(tx, table);
    Boolean empty = null;
    for (Index<T> ix : records.model().indexes()) {
      IndexState state = stored.get(ix.name());
      if (state != null) {
        checkDefinition(tx, table, ix, definitions.get(ix.name()), registerNew);
      } else if (registerNew) {
        if (empty == null) {
          empty = isEmpty(tx, records);
        }
        state = empty ? IndexState.READABLE : IndexState.WRITE_ONLY;
        write(tx, table, ix.name(), state, null);
        tx.set(keys.indexDefinition(table, ix.name()), Tuple.of(ix.definition()).pack());
        stored.put(ix.name(), state);
      }
      // Seen under a header not known yet (it may be rewritten below): a query re-reads it once.
      cache.put(table + '\0' + ix.name(),
          new Cached(state == null ? IndexState.DISABLED : state, null));
    }
    syncHeader(tx, table, stored.keySet());
  }

  private Map<String, String> definitions(Transaction tx, String table) {
    Map<String, String> out = new LinkedHashMap<>();
    Subspace space = keys.indexDefinitions(table);
    try (KeyValueCursor c = tx.scan(space.range())) {
      while (c.hasNext()) {
        KeyValue kv = c.next();
        out.put(space.unpack(kv.key()).getString(0), Tuple.unpack(kv.value()).getString(0));
      }
    }
    return out;
  }

  /**
   * Refuses a registered index whose recorded definition differs from {@code ix}'s; records it
   * when none is (a store written before definitions were recorded) and {@code write}.
   */
  private static void checkDefinition(Transaction tx, Keys keys, String table, Index<?> ix,
      String recorded, boolean write) {
    if (recorded == null) {
      if (write) {
        tx.set(keys.indexDefinition(table, ix.name()), Tuple.of(ix.definition()).pack());
      }
      return;
    }
    if (!recorded.equals(ix.definition())) {
      Map<String, Object> ctx = new LinkedHashMap<>();
      ctx.put("table", table);
      ctx.put("index", ix.name());
      ctx.put("stored", recorded);
      ctx.put("declared", ix.definition());
      throw new InvalidArgumentException("index is registered in the store with another definition:"
          + " drop it (`tito models drop TABLE INDEX`, or DataStore.dropIndex in a store whose"
          + " models do not define it) and build it again, or declare the new definition under a"
          + " new name", ctx);
    }
  }

  private void checkDefinition(Transaction tx, String table, Index<?> ix, String recorded, boolean write) {
    checkDefinition(tx, keys, table, ix, recorded, write);
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

  /** Registers a DISABLED index as WRITE_ONLY (before an online build), recording its definition. */
  public void register(Transaction tx, String table, Index<?> index) {
    if (stored(tx, table, index.name()) != null) {
      byte[] recorded = tx.get(keys.indexDefinition(table, index.name()));
      checkDefinition(tx, table, index, recorded == null ? null : Tuple.unpack(recorded).getString(0), true);
      return;
    }
    write(tx, table, index.name(), IndexState.WRITE_ONLY, null);
    tx.set(keys.indexDefinition(table, index.name()), Tuple.of(index.definition()).pack());
    TableHeader h = header(tx, table);
    Set<String> names = new TreeSet<>(h.indexes());
    names.add(index.name());
    syncHeader(tx, table, names);
  }

  /**
   * Marks an index READABLE (the end of a build), at a new header version: a query whose snapshot
   * still has the index WRITE_ONLY then reads the previous header, so it never trusts a READABLE
   * cached after this commit.
   */
  public void markReadable(Transaction tx, String table, String index) {
    write(tx, table, index, IndexState.READABLE, null);
    TableHeader h = header(tx, table);
    Set<String> names = new TreeSet<>(h.indexes());
    names.add(index);
    tx.set(keys.tableHeader(table), h.with(names).encode());
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

  /**
   * The state as this process last saw it (by {@link #init}, a query, or its own writes); another
   * process's change shows once a query of this process has checked the index.
   */
  public IndexState cached(String table, String index) {
    Cached c = cache.get(table + '\0' + index);
    return c == null ? IndexState.WRITE_ONLY : c.state();
  }

  /**
   * Checks, in {@code tx}'s snapshot, that the index is readable: reads the table header, and
   * when it is not the one a cached READABLE was seen under, re-reads the stored state.
   *
   * @throws InvalidArgumentException if it is not readable (not built yet, or dropped)
   */
  public void requireReadable(Transaction tx, String table, String index) {
    String key = table + '\0' + index;
    Cached c = cache.get(key);
    byte[] header;
    byte[] raw;
    if (c != null && c.state() == IndexState.READABLE && c.header() != null) {
      header = tx.get(keys.tableHeader(table));
      if (Arrays.equals(c.header(), header)) {
        return;
      }
      raw = tx.get(keys.indexState(table, index));
    } else {
      // nothing to trust: header and state in one multi-key read
      List<byte[]> both =
          tx.getAll(List.of(keys.tableHeader(table), keys.indexState(table, index)));
      header = both.get(0);
      raw = both.get(1);
    }
    IndexState state = raw == null ? IndexState.DISABLED
        : IndexState.valueOf(Tuple.unpack(raw).getString(0));
    cache.put(key, new Cached(state, header));
    if (state == IndexState.READABLE) {
      return;
    }
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("table", table);
    ctx.put("index", index);
    ctx.put("state", state.name());
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

  /**
   * Writes a state (and the build cursor); the cache follows after commit, with no header, so a
   * query checks it against the store once.
   */
  public void write(Transaction tx, String table, String index, IndexState state, byte[] cursor) {
    tx.set(keys.indexState(table, index), Tuple.of(state.name(), cursor).pack());
    tx.afterCommit(() -> cache.put(table + '\0' + index, new Cached(state, null)));
  }

  /** Forgets a dropped index (its state and recorded definition). */
  public void forget(Transaction tx, String table, String index) {
    tx.clear(keys.indexState(table, index));
    tx.clear(keys.indexDefinition(table, index));
    tx.afterCommit(() -> cache.put(table + '\0' + index, new Cached(IndexState.DISABLED, null)));
  }
}
