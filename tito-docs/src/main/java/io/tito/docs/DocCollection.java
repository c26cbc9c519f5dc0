package io.tito.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.Transaction;
import io.tito.VersionConflictException;
import io.tito.data.IndexBuildProgress;
import io.tito.data.IndexState;
import io.tito.data.ModelStore;
import io.tito.data.Versioned;
import io.tito.internal.docs.DocPatcher;
import io.tito.internal.docs.PlanCache;
import io.tito.internal.docs.StoredDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The documents of one collection, as {@code T} (a Jackson tree or a class the store's mapper
 * maps to a JSON object). Every write exists twice: with a {@link Transaction} it joins the
 * caller's transaction (several writes, across collections, records, events and topics commit
 * together), without one it runs its own transaction through the store's runner (conflicts with
 * concurrent transactions are retried; a stale expected version is not).
 *
 * <p>Versions start at 1 and grow by one on every write; a stale expected version fails with
 * {@link VersionConflictException} (context {@code expected}, {@code actual}) and writes nothing.
 * Soft-deleted documents are invisible to {@link #get} and queries until restored. Indexes are
 * maintained in the writing transaction; a write that fails (unique value taken, unknown patch
 * path) writes nothing. Immutable and thread-safe.
 *
 * @param <T> the document type
 */
public final class DocCollection<T> {

  private final DocumentStore owner;
  private final String name;
  private final Class<T> type;
  private final List<DocIndex> indexes;
  private final ModelStore<StoredDoc> store;
  /** Plans by query shape (see {@link PlanCache}). */
  private final PlanCache plans = new PlanCache();

  DocCollection(DocumentStore owner, String name, Class<T> type, List<DocIndex> indexes,
      ModelStore<StoredDoc> store) {
    this.owner = owner;
    this.name = name;
    this.type = type;
    this.indexes = indexes;
    this.store = store;
  }

  /** The collection name. */
  public String name() {
    return name;
  }

  /** The declared indexes. */
  public List<DocIndex> indexes() {
    return indexes;
  }

  /** Creates document {@code id}, version 1; {@code AlreadyExistsException} if it exists. */
  public Doc<T> insert(Transaction tx, String id, T doc) {
    return toDoc(store.insert(tx, new StoredDoc(requireId(id), body(doc))));
  }

  /** {@link #insert(Transaction, String, Object)} in its own transaction. */
  public Doc<T> insert(String id, T doc) {
    return tito().transaction(tx -> insert(tx, id, doc));
  }

  /** Creates or replaces document {@code id} (restoring it if soft-deleted). */
  public Doc<T> put(Transaction tx, String id, T doc) {
    return toDoc(store.save(tx, new StoredDoc(requireId(id), body(doc))));
  }

  /** {@link #put(Transaction, String, Object)} in its own transaction. */
  public Doc<T> put(String id, T doc) {
    return tito().transaction(tx -> put(tx, id, doc));
  }

  /**
   * Replaces live document {@code id} if its version is {@code expectedVersion}.
   *
   * @throws NotFoundException if it does not exist or is soft-deleted
   * @throws VersionConflictException if its version differs
   */
  public Doc<T> replace(Transaction tx, String id, T doc, long expectedVersion) {
    return toDoc(store.update(tx, new StoredDoc(requireId(id), body(doc)), expectedVersion));
  }

  /** {@link #replace(Transaction, String, Object, long)} in its own transaction. */
  public Doc<T> replace(String id, T doc, long expectedVersion) {
    return tito().transaction(tx -> replace(tx, id, doc, expectedVersion));
  }

  /**
   * Reads live document {@code id}, applies {@code fn} to it and writes the result, in one
   * transaction. {@code fn} may run more than once when the transaction is retried.
   *
   * @throws NotFoundException if it does not exist or is soft-deleted
   */
  public Doc<T> update(Transaction tx, String id, UnaryOperator<T> fn) {
    Doc<T> current = require(tx, id);
    return replace(tx, id, fn.apply(current.value()), current.version());
  }

  /** {@link #update(Transaction, String, UnaryOperator)} in its own transaction. */
  public Doc<T> update(String id, UnaryOperator<T> fn) {
    return tito().transaction(tx -> update(tx, id, fn));
  }

  /** As {@link #update(Transaction, String, UnaryOperator)}, if the version is expected. */
  public Doc<T> update(Transaction tx, String id, long expectedVersion, UnaryOperator<T> fn) {
    Doc<T> current = require(tx, id);
    checkVersion(id, expectedVersion, current.version());
    return replace(tx, id, fn.apply(current.value()), current.version());
  }

  /** {@link #update(Transaction, String, long, UnaryOperator)} in its own transaction. */
  public Doc<T> update(String id, long expectedVersion, UnaryOperator<T> fn) {
    return tito().transaction(tx -> update(tx, id, expectedVersion, fn));
  }

  /**
   * Applies {@code patch} to live document {@code id} (see {@link DocPatch} for the path rules).
   * A typed collection also checks that the result still maps to its class.
   *
   * @throws InvalidArgumentException naming the first path that names nothing; nothing written
   * @throws NotFoundException if it does not exist or is soft-deleted
   */
  public Doc<T> patch(Transaction tx, String id, DocPatch patch) {
    Doc<T> current = require(tx, id);
    return applyPatch(tx, id, patch, current.version());
  }

  /** {@link #patch(Transaction, String, DocPatch)} in its own transaction. */
  public Doc<T> patch(String id, DocPatch patch) {
    return tito().transaction(tx -> patch(tx, id, patch));
  }

  /** As {@link #patch(Transaction, String, DocPatch)}, if the version is expected. */
  public Doc<T> patch(Transaction tx, String id, DocPatch patch, long expectedVersion) {
    Doc<T> current = require(tx, id);
    checkVersion(id, expectedVersion, current.version());
    return applyPatch(tx, id, patch, expectedVersion);
  }

  /** {@link #patch(Transaction, String, DocPatch, long)} in its own transaction. */
  public Doc<T> patch(String id, DocPatch patch, long expectedVersion) {
    return tito().transaction(tx -> patch(tx, id, patch, expectedVersion));
  }

  /** Deletes document {@code id} for good; true if it existed. */
  public boolean delete(Transaction tx, String id) {
    return store.delete(tx, requireId(id));
  }

  /** {@link #delete(Transaction, String)} in its own transaction. */
  public boolean delete(String id) {
    return tito().transaction(tx -> delete(tx, id));
  }

  /** Marks document {@code id} deleted (next version; idempotent); its unique values stay held. */
  public Doc<T> softDelete(Transaction tx, String id) {
    return toDoc(store.softDelete(tx, requireId(id)));
  }

  /** {@link #softDelete(Transaction, String)} in its own transaction. */
  public Doc<T> softDelete(String id) {
    return tito().transaction(tx -> softDelete(tx, id));
  }

  /** Undoes a soft delete (next version; idempotent). */
  public Doc<T> restore(Transaction tx, String id) {
    return toDoc(store.restore(tx, requireId(id)));
  }

  /** {@link #restore(Transaction, String)} in its own transaction. */
  public Doc<T> restore(String id) {
    return tito().transaction(tx -> restore(tx, id));
  }

  /** Live document {@code id}, if any. */
  public Optional<Doc<T>> get(Transaction tx, String id) {
    return store.findById(tx, requireId(id)).map(this::toDoc);
  }

  /** {@link #get(Transaction, String)} in a read-only transaction. */
  public Optional<Doc<T>> get(String id) {
    return tito().read(tx -> get(tx, id));
  }

  /** Document {@code id}, also when soft-deleted. */
  public Optional<Doc<T>> getIncludingDeleted(Transaction tx, String id) {
    return store.findByIdIncludingDeleted(tx, requireId(id)).map(this::toDoc);
  }

  /** A query of this collection matching every live document; narrow it with {@code where}. */
  public DocQuery<T> query() {
    return new DocQuery<>(this, Filter.all());
  }

  /** A query of the live documents matching {@code filter}. */
  public DocQuery<T> query(Filter filter) {
    return new DocQuery<>(this, filter);
  }

  /**
   * A compiled query: its plan is chosen once, from the query's shape, and reused by every
   * {@link CompiledQuery#run} with new parameter values.
   */
  public CompiledQuery<T> compile(DocQuery<T> query) {
    return new CompiledQuery<>(query, query.planSpec());
  }

  /**
   * Suggests the index that would answer {@code query} from an index range in the requested
   * order: its equality paths first, then the range path, then the order paths (or nothing when
   * the current plan already does).
   */
  public IndexAdvice advise(DocQuery<T> query) {
    return query.advise();
  }

  /** The state of index {@code index} as this process knows it. */
  public IndexState indexState(String index) {
    return store.indexState(index);
  }

  /** Builds index {@code index} online over existing documents (tito-data's online build). */
  public IndexBuildProgress buildIndex(String index, int batchSize,
      Consumer<IndexBuildProgress> progress) {
    return store.buildIndex(index, batchSize, progress);
  }

  /** Indexes the planner may use now (READABLE). */
  List<DocIndex> readableIndexes() {
    List<DocIndex> out = new ArrayList<>();
    for (DocIndex ix : indexes) {
      if (store.indexState(ix.name()) == IndexState.READABLE) {
        out.add(ix);
      }
    }
    return out;
  }

  PlanCache plans() {
    return plans;
  }

  ModelStore<StoredDoc> store() {
    return store;
  }

  DocumentStore owner() {
    return owner;
  }

  Tito tito() {
    return owner.tito();
  }

  Doc<T> toDoc(Versioned<StoredDoc> v) {
    return new Doc<>(v.value().id(), value(v.value().body()), v.version(), v.createdAt(),
        v.updatedAt(), v.deleted());
  }

  @SuppressWarnings("unchecked")
  T value(ObjectNode body) {
    if (type.isInstance(body)) {
      return (T) body;
    }
    try {
      return owner.mapper().treeToValue(body, type);
    } catch (Exception e) {
      throw new InvalidArgumentException("document does not map to the collection's type",
          Map.of("collection", name, "type", type.getName()), e);
    }
  }

  ObjectNode body(T doc) {
    if (doc == null) {
      throw new InvalidArgumentException("a document must not be null",
          Map.of("collection", name));
    }
    JsonNode n = doc instanceof JsonNode j ? j.deepCopy() : mapper().valueToTree(doc);
    if (!(n instanceof ObjectNode o)) {
      throw new InvalidArgumentException("a document must be a JSON object",
          Map.of("collection", name));
    }
    return o;
  }

  private ObjectMapper mapper() {
    return owner.mapper();
  }

  private Doc<T> require(Transaction tx, String id) {
    return get(tx, id).orElseThrow(() -> new NotFoundException("no such document",
        Map.of("collection", name, "id", String.valueOf(id))));
  }

  private Doc<T> applyPatch(Transaction tx, String id, DocPatch patch, long version) {
    Versioned<StoredDoc> raw = store.findById(tx, id).orElseThrow();
    ObjectNode next = DocPatcher.apply(raw.value().body(), patch, mapper(), name, id);
    value(next); // a typed collection refuses a result its class cannot read
    return toDoc(store.update(tx, new StoredDoc(id, next), version));
  }

  private void checkVersion(String id, long expected, long actual) {
    if (expected != actual) {
      throw new VersionConflictException("document version is not the expected one",
          Map.of("collection", name, "id", id, "expected", expected, "actual", actual));
    }
  }

  private String requireId(String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidArgumentException("a document id must not be empty",
          Map.of("collection", name));
    }
    return id;
  }
}
