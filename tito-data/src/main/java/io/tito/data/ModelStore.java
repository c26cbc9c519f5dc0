package io.tito.data;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.internal.data.Hydrator;
import io.tito.internal.data.IndexStates;
import io.tito.internal.data.OnlineIndexer;
import io.tito.internal.data.QueryExecutor;
import io.tito.internal.data.QuerySpec;
import io.tito.internal.data.Records;
import io.tito.internal.data.ValueIndexMaintainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The operations on one model's records, from {@link DataStore#store(Model)}. Every operation
 * exists twice: taking a {@link Transaction} it runs inside the caller's transaction (commits with
 * it, may be re-run with it); without one it runs its own, through {@link Tito#transaction} (so
 * conflicts are retried) or {@link Tito#read} for reads.
 *
 * <p>Versions: a record's version is 1 after insert and grows by one with every write of it.
 * Soft-deleted records are invisible to {@code findById}, {@code findByIds}, {@code exists},
 * queries and counts unless asked; their index entries stay (marked deleted), so a unique value
 * stays taken until the record is hard-deleted.
 *
 * <p>Errors (all {@link io.tito.TitoException}s): {@link io.tito.AlreadyExistsException} (insert
 * of an existing id, unique index value taken), {@link io.tito.NotFoundException} (update, patch,
 * soft delete or restore of an absent record; update and patch also of a soft-deleted one),
 * {@link io.tito.VersionConflictException} (expected version differs),
 * {@link io.tito.InvalidArgumentException} (null or unsupported ids and values, bad patches,
 * unknown indexes/relationships, non-readable indexes, and every write of a model that lacks an
 * index registered in the store for its table, see {@link DataStore}), plus the engine's errors.
 *
 * <p>Every write is all-or-nothing, also inside the caller's transaction: if it throws, none of
 * its writes (record, index entries, write hooks' writes) stay in the transaction.
 *
 * <p>Thread-safe.
 *
 * @param <T> the model type
 */
public final class ModelStore<T> {

  private final Tito tito;
  private final Records<T> records;
  private final IndexStates states;
  private final Hydrator hydrator;

  ModelStore(Tito tito, Records<T> records, IndexStates states, Hydrator hydrator) {
    this.tito = tito;
    this.records = records;
    this.states = states;
    this.hydrator = hydrator;
  }

  /** The model. */
  public Model<T> model() {
    return records.model();
  }

  Tito tito() {
    return tito;
  }

  /** Inserts a new record (version 1). @throws io.tito.AlreadyExistsException if the id exists */
  public Versioned<T> insert(Transaction tx, T value) {
    return records.insert(tx, value);
  }

  /** {@link #insert(Transaction, Object)} in its own transaction. */
  public Versioned<T> insert(T value) {
    return tito.transaction(tx -> insert(tx, value));
  }

  /** Inserts or replaces (upsert); replacing a soft-deleted record restores it. */
  public Versioned<T> save(Transaction tx, T value) {
    return records.save(tx, value);
  }

  /** {@link #save(Transaction, Object)} in its own transaction. */
  public Versioned<T> save(T value) {
    return tito.transaction(tx -> save(tx, value));
  }

  /** Replaces an existing, not soft-deleted record. @throws io.tito.NotFoundException if absent */
  public Versioned<T> update(Transaction tx, T value) {
    return records.update(tx, value, null);
  }

  /** {@link #update(Transaction, Object)} in its own transaction. */
  public Versioned<T> update(T value) {
    return tito.transaction(tx -> update(tx, value));
  }

  /**
   * Replaces the record if its version is {@code expectedVersion}.
   *
   * @throws io.tito.VersionConflictException if the stored version differs
   */
  public Versioned<T> update(Transaction tx, T value, long expectedVersion) {
    return records.update(tx, value, expectedVersion);
  }

  /** {@link #update(Transaction, Object, long)} in its own transaction. */
  public Versioned<T> update(T value, long expectedVersion) {
    return tito.transaction(tx -> update(tx, value, expectedVersion));
  }

  /**
   * Applies {@code patch} to the stored JSON of record {@code id} and re-indexes it (needs a
   * {@link JsonCodec}).
   *
   * @throws io.tito.NotFoundException if absent or soft-deleted
   * @throws io.tito.InvalidArgumentException if the patch cannot apply, the result does not map
   *     to the type, or the id would change
   */
  public Versioned<T> patch(Transaction tx, Object id, Patch patch) {
    return records.patch(tx, id, patch, null);
  }

  /** {@link #patch(Transaction, Object, Patch)} in its own transaction. */
  public Versioned<T> patch(Object id, Patch patch) {
    return tito.transaction(tx -> patch(tx, id, patch));
  }

  /** Like {@link #patch(Transaction, Object, Patch)}, only at {@code expectedVersion}. */
  public Versioned<T> patch(Transaction tx, Object id, Patch patch, long expectedVersion) {
    return records.patch(tx, id, patch, expectedVersion);
  }

  /** {@link #patch(Transaction, Object, Patch, long)} in its own transaction. */
  public Versioned<T> patch(Object id, Patch patch, long expectedVersion) {
    return tito.transaction(tx -> patch(tx, id, patch, expectedVersion));
  }

  /** Removes the record and its index entries for good. @return whether it existed */
  public boolean delete(Transaction tx, Object id) {
    return records.delete(tx, id);
  }

  /** {@link #delete(Transaction, Object)} in its own transaction. */
  public boolean delete(Object id) {
    return tito.transaction(tx -> delete(tx, id));
  }

  /**
   * Marks the record deleted (new version); idempotent on an already soft-deleted record.
   *
   * @throws io.tito.NotFoundException if absent
   */
  public Versioned<T> softDelete(Transaction tx, Object id) {
    return records.setDeleted(tx, id, true);
  }

  /** {@link #softDelete(Transaction, Object)} in its own transaction. */
  public Versioned<T> softDelete(Object id) {
    return tito.transaction(tx -> softDelete(tx, id));
  }

  /** Undoes a soft delete (new version); idempotent. @throws io.tito.NotFoundException if absent */
  public Versioned<T> restore(Transaction tx, Object id) {
    return records.setDeleted(tx, id, false);
  }

  /** {@link #restore(Transaction, Object)} in its own transaction. */
  public Versioned<T> restore(Object id) {
    return tito.transaction(tx -> restore(tx, id));
  }

  /** The record, unless absent or soft-deleted. */
  public Optional<Versioned<T>> findById(Transaction tx, Object id) {
    return records.find(tx, id, false);
  }

  /** {@link #findById(Transaction, Object)} in its own read-only transaction. */
  public Optional<Versioned<T>> findById(Object id) {
    return tito.read(tx -> findById(tx, id));
  }

  /** The record even if soft-deleted ({@link Versioned#deleted()} tells). */
  public Optional<Versioned<T>> findByIdIncludingDeleted(Transaction tx, Object id) {
    return records.find(tx, id, true);
  }

  /**
   * The records of {@code ids} in one snapshot, in the order of {@code ids} (duplicates
   * repeated), absent and soft-deleted ones left out.
   */
  public List<Versioned<T>> findByIds(Transaction tx, Collection<?> ids) {
    if (ids == null) {
      throw new InvalidArgumentException("ids must not be null", Map.of("table", model().table()));
    }
    return records.findAll(tx, ids, false);
  }

  /** {@link #findByIds(Transaction, Collection)} in its own read-only transaction. */
  public List<Versioned<T>> findByIds(Collection<?> ids) {
    return tito.read(tx -> findByIds(tx, ids));
  }

  /** Whether a not soft-deleted record has this id. */
  public boolean exists(Transaction tx, Object id) {
    return records.find(tx, id, false).isPresent();
  }

  /** {@link #exists(Transaction, Object)} in its own read-only transaction. */
  public boolean exists(Object id) {
    return tito.read(tx -> exists(tx, id));
  }

  /**
   * The number of index entries of not soft-deleted records whose leading fields equal
   * {@code equal} (all entries with no values). Scans the entries (streamed, no record reads); a
   * multi-valued index counts entries, so a record with two matching values counts twice.
   */
  public long count(Transaction tx, String index, Object... equal) {
    Index<T> ix = requireIndex(index).index();
    List<Object> eq = new ArrayList<>();
    for (Object v : equal == null ? new Object[] {null} : equal) {
      eq.add(ix.toFieldType(eq.size(), v));
    }
    return QueryExecutor.count(tx, records, states, index, eq);
  }

  /** {@link #count(Transaction, String, Object...)} in its own read-only transaction. */
  public long count(String index, Object... equal) {
    return tito.read(tx -> count(tx, index, equal));
  }

  /**
   * A query on the named index.
   *
   * @throws InvalidArgumentException if {@code index} is null (use {@link #scanAll()} for a full
   *     scan) or not an index of the model
   */
  public Query<T> query(String index) {
    if (index == null) {
      throw new InvalidArgumentException("index must not be null: use scanAll() for a full scan",
          Map.of("table", model().table()));
    }
    requireIndex(index);
    return new Query<>(this, index);
  }

  /**
   * An explicit full scan of the table in id order (with {@link Query#filter}, {@link Query#eq} /
   * ranges on the id, paging and continuations like any query). Reads every record it passes.
   */
  public Query<T> scanAll() {
    return new Query<>(this, null);
  }

  /**
   * Hydrates relationships into records read earlier in the same transaction.
   *
   * @throws InvalidArgumentException if {@code items} is null or a path names an unknown
   *     relationship (also when {@code items} is empty)
   */
  public List<Versioned<T>> hydrate(Transaction tx, List<Versioned<T>> items,
      MissingPolicy missing, String... paths) {
    hydrator.requireKnownPaths(records, paths == null ? null : Arrays.asList(paths));
    if (items == null) {
      throw new InvalidArgumentException("items must not be null",
          Map.of("table", model().table()));
    }
    return hydrator.hydrate(tx, records, items, Arrays.asList(paths),
        missing == null ? MissingPolicy.SKIP : missing);
  }

  /** Checks relationship paths up front, for {@link Query#hydrate}. */
  void requireRelationshipPaths(List<String> paths) {
    hydrator.requireKnownPaths(records, paths);
  }

  /** The state of an index as this process knows it. */
  public IndexState indexState(String index) {
    requireIndex(index);
    return states.cached(model().table(), index);
  }

  /**
   * Builds an index online over the records already stored, {@code batchSize} records per
   * transaction, calling {@code progress} (may be null) after each committed batch, then marks it
   * READABLE. A DISABLED index (see {@link DataStore.Builder#registerNewIndexes}) is first
   * registered as WRITE_ONLY. Writes keep the index current meanwhile; a build interrupted by a
   * crash resumes from its last batch when called again. Returns at once for a READABLE index.
   *
   * @throws io.tito.AlreadyExistsException if existing records violate a unique index (the index
   *     stays WRITE_ONLY)
   * @throws io.tito.InvalidArgumentException for an unknown index or a batch size below 1
   */
  public IndexBuildProgress buildIndex(String index, int batchSize,
      Consumer<IndexBuildProgress> progress) {
    requireIndex(index);
    return OnlineIndexer.build(tito, records, states, index, batchSize, progress);
  }

  long countQuery(Transaction tx, QuerySpec<T> spec) {
    return QueryExecutor.countRange(tx, records, states, spec);
  }

  List<Object> idsQuery(Transaction tx, QuerySpec<T> spec) {
    return QueryExecutor.idsRange(tx, records, states, spec);
  }

  long encodedIdsQuery(Transaction tx, QuerySpec<T> spec, Query.IdBytes sink) {
    return QueryExecutor.encodedIdsRange(tx, records, states, spec, sink::accept);
  }

  Page<T> runQuery(Transaction tx, QuerySpec<T> spec) {
    Page<T> page = QueryExecutor.page(tx, records, states, spec);
    if (spec.hydrate().isEmpty()) {
      return page;
    }
    return new Page<>(hydrator.hydrate(tx, records, page.items(), spec.hydrate(), spec.missing()),
        page.continuation(), page.scanned());
  }

  private ValueIndexMaintainer<T> requireIndex(String index) {
    ValueIndexMaintainer<T> m = records.maintainer(index);
    if (m == null) {
      throw new InvalidArgumentException("unknown index",
          Map.of("table", model().table(), "index", String.valueOf(index)));
    }
    return m;
  }
}
