package io.tito.internal.data;

import io.tito.AlreadyExistsException;
import io.tito.ConflictException;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Transaction;
import io.tito.VersionConflictException;
import io.tito.data.Index;
import io.tito.data.JsonCodec;
import io.tito.data.Model;
import io.tito.data.Patch;
import io.tito.data.RecordChange;
import io.tito.data.RecordChange.Kind;
import io.tito.data.Versioned;
import io.tito.data.WriteHook;
import io.tito.internal.data.IndexMaintainer.RecordState;
import io.tito.tuple.Subspace;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Record writes and point reads of one model, with index maintenance and write hooks, inside a
 * caller's transaction. Thread-safe (stateless per call).
 *
 * @param <T> the model type
 */
public final class Records<T> {

  private final Model<T> model;
  private final Subspace records;
  /** The records subspace's prefix (not a copy: never handed out). */
  private final byte[] recordsPrefix;
  private final byte[] headerKey;
  /**
   * The last header read, decoded and checked against the model, with the maintainers it asks
   * for: writes under an unchanged header skip decoding, checking and selecting again. Always
   * compared with the header this transaction read, so it never replaces the read.
   */
  private volatile HeaderView<T> lastHeader;
  private final Clock clock;
  private final List<WriteHook> hooks;
  private final Map<String, ValueIndexMaintainer<T>> maintainers = new LinkedHashMap<>();

  public Records(Model<T> model, Keys keys, Clock clock, List<WriteHook> hooks) {
    this.model = model;
    this.records = keys.records(model.table());
    this.recordsPrefix = records.key();
    this.headerKey = keys.tableHeader(model.table());
    this.clock = clock;
    this.hooks = List.copyOf(hooks);
    for (Index<T> ix : model.indexes()) {
      maintainers.put(ix.name(),
          new ValueIndexMaintainer<>(model.table(), ix, keys.index(model.table(), ix.name())));
    }
  }

  public Model<T> model() {
    return model;
  }

  /** The subspace of this model's records. */
  public Subspace space() {
    return records;
  }

  /** The maintainer of an index, or null. */
  public ValueIndexMaintainer<T> maintainer(String index) {
    return maintainers.get(index);
  }

  /** The stored record at a normalised id, or null. */
  public StoredRecord load(Transaction tx, Object id) {
    byte[] raw = tx.get(records.pack(id));
    return raw == null ? null : StoredRecord.decode(raw);
  }

  /**
   * A record about to be written (or null) and the maintainers of the indexes registered by the
   * table header it must be written under.
   */
  private record Loaded<T>(byte[] key, StoredRecord record, List<ValueIndexMaintainer<T>> maintained) {}

  /** A stored header ({@code raw} null when absent) and the maintainers of its indexes. */
  private record HeaderView<T>(byte[] raw, List<ValueIndexMaintainer<T>> maintained) {}

  /**
   * Reads the record and the table header in one multi-key read, and checks that this model
   * declares every index the store maintains.
   */
  private Loaded<T> loadForWrite(Transaction tx, Object id) {
    return loadForWrite(tx, id, false);
  }

  /** As {@link #loadForWrite(Transaction, Object)}; {@code expectAbsent} for an insert's read. */
  private Loaded<T> loadForWrite(Transaction tx, Object id, boolean expectAbsent) {
    byte[] key = records.pack(id);
    if (expectAbsent) {
      Loaded<T> guessed = guessAbsent(tx, key);
      if (guessed != null) {
        return guessed;
      }
    }
    List<byte[]> keys = List.of(key, headerKey);
    List<byte[]> raw = expectAbsent ? tx.getAllExpectingAbsent(keys, 1) : tx.getAll(keys);
    return new Loaded<>(key, raw.get(0) == null ? null : StoredRecord.decode(raw.get(0)),
        maintainedUnder(raw.get(1)));
  }

  /**
   * An insert's read replaced by guesses ({@link Transaction#mayGuessReads}): the record absent
   * and the table header as last read here, both {@linkplain Transaction#expect expected}, so the
   * commit judges them and a transaction that reads nothing else commits without a read round
   * trip. Null (the caller reads) if this attempt may not guess, no header was read yet, or the
   * transaction's own writes contradict a guess. A wrong guess fails the commit with a retriable
   * conflict; the retry reads and reports a taken id from the insert.
   */
  private Loaded<T> guessAbsent(Transaction tx, byte[] key) {
    HeaderView<T> last = lastHeader;
    if (last == null || !tx.mayGuessReads()) {
      return null;
    }
    try {
      tx.expect(headerKey, last.raw());
      tx.expect(key, null);
    } catch (ConflictException e) {
      return null; // the transaction's own writes say otherwise: read
    }
    return new Loaded<>(key, null, last.maintained());
  }

  /**
   * The maintainers of the indexes the stored header {@code raw} (null: none stored) registers,
   * in declaration order.
   *
   * @throws InvalidArgumentException if the model lacks one of them
   */
  private List<ValueIndexMaintainer<T>> maintainedUnder(byte[] raw) {
    HeaderView<T> last = lastHeader;
    if (last != null && java.util.Arrays.equals(last.raw(), raw)) {
      return last.maintained();
    }
    TableHeader header = TableHeader.decode(raw);
    header.requireDeclaredBy(model);
    List<ValueIndexMaintainer<T>> maintained = List.copyOf(maintained(header));
    lastHeader = new HeaderView<>(raw, maintained);
    return maintained;
  }

  /** The key of record {@code id} (already normalized). */
  public byte[] key(Object id) {
    return records.pack(id);
  }

  /**
   * The key of the record whose id's tuple encoding ({@code Tuple.of(id).pack()}, as an index
   * entry holds it) is {@code length} bytes of {@code encoded} from {@code offset}: the same key
   * as {@link #key(Object)} of that id, without decoding and re-encoding it.
   */
  public byte[] keyOfEncodedId(byte[] encoded, int offset, int length) {
    byte[] key = java.util.Arrays.copyOf(recordsPrefix, recordsPrefix.length + length);
    System.arraycopy(encoded, offset, key, recordsPrefix.length, length);
    return key;
  }

  /**
   * The records of {@code rawIds} read with one multi-key read, in their order (repeats
   * repeated), absent ones left out and soft-deleted ones too unless {@code includeDeleted}.
   */
  public List<Versioned<T>> findAll(Transaction tx, Collection<?> rawIds, boolean includeDeleted) {
    List<Object> ids = new ArrayList<>(rawIds.size());
    List<byte[]> keys = new ArrayList<>(rawIds.size());
    for (Object rawId : rawIds) {
      Object id = model.normalizeId(rawId);
      ids.add(id);
      keys.add(records.pack(id));
    }
    List<byte[]> raw = tx.getAll(keys);
    List<Object> keptIds = new ArrayList<>(ids.size());
    List<StoredRecord> kept = new ArrayList<>(ids.size());
    for (int i = 0; i < raw.size(); i++) {
      if (raw.get(i) == null) {
        continue;
      }
      StoredRecord s = StoredRecord.decode(raw.get(i));
      if (!s.deleted() || includeDeleted) {
        keptIds.add(ids.get(i));
        kept.add(s);
      }
    }
    return toVersionedAll(keptIds, kept);
  }

  /**
   * The versioned values of stored records, {@code ids[i]} with {@code stored[i]}, in order; a
   * null stored record gives null. The bodies are decoded together ({@link
   * io.tito.data.Codec#decodeAll}).
   */
  public List<Versioned<T>> toVersionedAll(List<Object> ids, List<StoredRecord> stored) {
    List<byte[]> bodies = new ArrayList<>(stored.size());
    for (StoredRecord s : stored) {
      if (s != null) {
        bodies.add(s.body());
      }
    }
    List<T> values = model.codec().decodeAll(bodies);
    List<Versioned<T>> out = new ArrayList<>(stored.size());
    for (int i = 0, j = 0; i < stored.size(); i++) {
      StoredRecord s = stored.get(i);
      out.add(s == null ? null : new Versioned<>(values.get(j++), ids.get(i), s.version(),
          s.createdAt(), s.updatedAt(), s.deleted()));
    }
    return out;
  }

  /** The versioned value of a stored record. */
  public Versioned<T> toVersioned(Object id, StoredRecord s) {
    return new Versioned<>(model.codec().decode(s.body()), id, s.version(), s.createdAt(),
        s.updatedAt(), s.deleted());
  }

  public Optional<Versioned<T>> find(Transaction tx, Object rawId, boolean includeDeleted) {
    Object id = model.normalizeId(rawId);
    StoredRecord s = load(tx, id);
    if (s == null || (s.deleted() && !includeDeleted)) {
      return Optional.empty();
    }
    return Optional.of(toVersioned(id, s));
  }

  public Versioned<T> insert(Transaction tx, T value) {
    Object id = model.idOf(value);
    Loaded<T> loaded = loadForWrite(tx, id, true);
    StoredRecord old = loaded.record();
    if (old != null) {
      throw new AlreadyExistsException("record id already exists",
          ctx("id", id, "softDeleted", old.deleted()));
    }
    return write(tx, loaded, id, null, null, value, false, Kind.INSERT);
  }

  public Versioned<T> save(Transaction tx, T value) {
    Object id = model.idOf(value);
    Loaded<T> loaded = loadForWrite(tx, id);
    StoredRecord old = loaded.record();
    T oldValue = old == null ? null : model.codec().decode(old.body());
    return write(tx, loaded, id, old, oldValue, value, false,
        old == null ? Kind.INSERT : Kind.UPDATE);
  }

  public Versioned<T> update(Transaction tx, T value, Long expectedVersion) {
    Object id = model.idOf(value);
    Loaded<T> loaded = existing(tx, id, expectedVersion);
    StoredRecord old = loaded.record();
    return write(tx, loaded, id, old, model.codec().decode(old.body()), value, false,
        Kind.UPDATE);
  }

  public Versioned<T> patch(Transaction tx, Object rawId, Patch patch, Long expectedVersion) {
    if (patch == null) {
      throw new InvalidArgumentException("patch must not be null", ctx());
    }
    if (!(model.codec() instanceof JsonCodec<T> json)) {
      throw new InvalidArgumentException("patch needs the model to use a JsonCodec",
          ctx("codec", model.codec().getClass().getName()));
    }
    JsonPatcher.requireKnownPaths(patch, json.mapper(), model.type());
    Object id = model.normalizeId(rawId);
    Loaded<T> loaded = existing(tx, id, expectedVersion);
    StoredRecord old = loaded.record();
    T oldValue = json.decode(old.body());
    T newValue = json.fromTree(JsonPatcher.apply(json.toTree(old.body()), patch, json.mapper()));
    Object newId = model.idOf(newValue);
    if (!ValueIndexMaintainer.sameId(id, newId)) {
      throw new InvalidArgumentException("patch must not change the record id",
          ctx("id", id, "newId", newId));
    }
    return write(tx, loaded, id, old, oldValue, newValue, false, Kind.PATCH);
  }

  public boolean delete(Transaction tx, Object rawId) {
    Object id = model.normalizeId(rawId);
    Loaded<T> loaded = loadForWrite(tx, id);
    StoredRecord old = loaded.record();
    if (old == null) {
      return false;
    }
    T oldValue = model.codec().decode(old.body());
    RecordState<T> before = new RecordState<>(oldValue, old, null);
    List<ValueIndexMaintainer.Change> changes = new ArrayList<>(maintainers.size());
    for (ValueIndexMaintainer<T> m : loaded.maintained()) {
      changes.add(m.prepare(tx, id, before, null));
    }
    return tx.savepoint(() -> {
      for (ValueIndexMaintainer.Change c : changes) {
        c.apply(tx);
      }
      tx.clear(loaded.key());
      if (!hooks.isEmpty()) {
        fire(tx, new RecordChange(model.table(), id, Kind.DELETE, toVersioned(id, old), null));
      }
      return true;
    });
  }

  public Versioned<T> setDeleted(Transaction tx, Object rawId, boolean deleted) {
    Object id = model.normalizeId(rawId);
    Loaded<T> loaded = loadForWrite(tx, id);
    StoredRecord old = loaded.record();
    if (old == null) {
      throw new NotFoundException("record does not exist", ctx("id", id));
    }
    T value = model.codec().decode(old.body());
    if (old.deleted() == deleted) {
      return toVersioned(id, old);
    }
    return write(tx, loaded, id, old, value, value, deleted,
        deleted ? Kind.SOFT_DELETE : Kind.RESTORE);
  }

  /** Indexes an existing record into the named indexes only (online index build). */
  public void indexExisting(Transaction tx, Object id, byte[] raw, List<String> indexes) {
    StoredRecord s = StoredRecord.decode(raw);
    RecordState<T> state = new RecordState<>(model.codec().decode(s.body()), s, raw);
    for (String name : indexes) {
      maintainers.get(name).update(tx, id, null, state);
    }
  }

  private Loaded<T> existing(Transaction tx, Object id, Long expectedVersion) {
    Loaded<T> loaded = loadForWrite(tx, id);
    StoredRecord old = loaded.record();
    if (old == null || old.deleted()) {
      throw new NotFoundException("record does not exist", ctx("id", id,
          "softDeleted", old != null));
    }
    if (expectedVersion != null && expectedVersion != old.version()) {
      throw new VersionConflictException("record version is not the expected one",
          ctx("id", id, "expected", expectedVersion, "actual", old.version()));
    }
    return loaded;
  }

  /** The maintainers of the indexes registered in the store (the header), in declaration order. */
  private List<ValueIndexMaintainer<T>> maintained(TableHeader header) {
    List<ValueIndexMaintainer<T>> out = new ArrayList<>(maintainers.size());
    for (ValueIndexMaintainer<T> m : maintainers.values()) {
      if (header.indexes().contains(m.index().name())) {
        out.add(m);
      }
    }
    return out;
  }

  private Versioned<T> write(Transaction tx, Loaded<T> loaded, Object id,
      StoredRecord old,
      T oldValue, T newValue, boolean deleted, Kind kind) {
    Instant now = model.timestamps() ? clock.instant() : null;
    Instant created = old != null && old.createdAt() != null ? old.createdAt() : now;
    long version = old == null ? 1 : old.version() + 1;
    StoredRecord neu = new StoredRecord(version, deleted, created, now,
        model.codec().encode(newValue));
    byte[] raw = neu.encode();
    RecordState<T> before = old == null ? null : new RecordState<>(oldValue, old, null);
    RecordState<T> after = new RecordState<>(newValue, neu, raw);
    // Everything that can refuse the write (encoding, index values, unique checks) runs before
    // the first write; the writes run in a savepoint, so a size limit or a failing hook undoes
    // them all and the caller's transaction is left as it was.
    List<ValueIndexMaintainer.Change> changes = new ArrayList<>(maintainers.size());
    for (ValueIndexMaintainer<T> m : loaded.maintained()) {
      changes.add(m.prepare(tx, id, before, after));
    }
    Versioned<T> result = new Versioned<>(newValue, id, version, created, now, deleted);
    return tx.savepoint(() -> {
      for (ValueIndexMaintainer.Change c : changes) {
        c.apply(tx);
      }
      tx.set(loaded.key(), raw);
      if (!hooks.isEmpty()) {
        fire(tx, new RecordChange(model.table(), id, kind,
            old == null ? null : toVersioned(id, old), result));
      }
      return result;
    });
  }

  private void fire(Transaction tx, RecordChange change) {
    for (WriteHook h : hooks) {
      h.onWrite(tx, change);
    }
  }

  private Map<String, Object> ctx(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("table", model.table());
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Ids as a list, each normalised. */
  public List<Object> normalize(Iterable<?> ids) {
    List<Object> out = new ArrayList<>();
    for (Object id : ids) {
      out.add(model.normalizeId(id));
    }
    return out;
  }
}
