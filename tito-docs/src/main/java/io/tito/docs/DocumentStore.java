package io.tito.docs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Tito;
import io.tito.TitoModule;
import io.tito.data.DataStore;
import io.tito.data.Index;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.internal.docs.IndexValues;
import io.tito.internal.docs.Projection;
import io.tito.internal.docs.StoredDoc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The document store of a Tito store: named collections of JSON documents with declared indexes.
 * Each collection is a tito-data table ({@code doc.<name>}) whose records hold the document id
 * and body, and each {@link DocIndex} a tito-data index over the document's path values, so
 * versions, soft delete, unique checks, index maintenance in the writing transaction, online
 * index builds, the store header that binds every writer and exact continuations all come from
 * tito-data.
 *
 * <pre>{@code
 * Tito tito = Tito.builder().url("rocksdb:data")
 *     .with(DocumentStore.builder()
 *         .collection("customers", DocIndex.unique("by_email", "email"),
 *             DocIndex.of("by_country_age", "country", "age"), DocIndex.of("by_tag", "tags[]")))
 *     .build();
 * DocCollection<ObjectNode> customers = tito.module(DocumentStore.class).collection("customers");
 * }</pre>
 *
 * <p>Immutable and thread-safe; one per Tito store.
 */
public final class DocumentStore {

  /** Default scan limit of a query: entries read at most. */
  public static final int DEFAULT_SCAN_LIMIT = 10_000;

  private final Tito tito;
  private final DataStore data;
  private final ObjectMapper mapper;
  private final int scanLimit;
  private final Map<String, String> sessionHeaders;
  private final Map<String, List<DocIndex>> collections;
  private final Map<String, ModelStore<StoredDoc>> stores = new LinkedHashMap<>();

  private DocumentStore(Builder b, Tito tito) {
    this.tito = tito;
    this.mapper = b.mapper;
    this.scanLimit = b.scanLimit;
    this.sessionHeaders = Map.copyOf(b.sessionHeaders);
    this.collections = Map.copyOf(b.collections);
    DataStore.Builder db = DataStore.models().registerNewIndexes(b.registerNewIndexes);
    Map<String, Model<StoredDoc>> models = new LinkedHashMap<>();
    for (Map.Entry<String, List<DocIndex>> e : b.collections.entrySet()) {
      Model<StoredDoc> m = model(e.getKey(), e.getValue(), mapper);
      models.put(e.getKey(), m);
      db.model(m);
    }
    this.data = db.open(tito);
    models.forEach((name, m) -> stores.put(name, data.store(m)));
  }

  /** A builder: add collections, then register it with {@code Tito.Builder.with}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The collection {@code name} with documents as Jackson trees. */
  public DocCollection<com.fasterxml.jackson.databind.node.ObjectNode> collection(String name) {
    return collection(name, com.fasterxml.jackson.databind.node.ObjectNode.class);
  }

  /**
   * The collection {@code name} with documents mapped to {@code type} by the store's Jackson
   * mapper (a JSON object). Cheap; may be kept.
   *
   * @throws NotFoundException if no collection of that name was declared
   */
  public <T> DocCollection<T> collection(String name, Class<T> type) {
    List<DocIndex> indexes = collections.get(name);
    if (indexes == null) {
      throw new NotFoundException("unknown collection", Map.of("collection", String.valueOf(name)));
    }
    if (type == null) {
      throw new InvalidArgumentException("a document type is required", Map.of());
    }
    return new DocCollection<>(this, name, type, indexes, stores.get(name));
  }

  /** A new unit of work with the store's session headers ({@link Builder#sessionHeader}). */
  public DocumentSession openSession() {
    return new DocumentSession(this, sessionHeaders);
  }

  /** A new unit of work with the store's session headers plus {@code headers} (which win). */
  public DocumentSession openSession(Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(sessionHeaders);
    all.putAll(headers);
    return new DocumentSession(this, all);
  }

  /** The collection names, sorted. */
  public List<String> collections() {
    return collections.keySet().stream().sorted().toList();
  }

  /** The Tito store. */
  public Tito tito() {
    return tito;
  }

  /** The Jackson mapper of documents. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** The default scan limit of queries. */
  public int scanLimit() {
    return scanLimit;
  }

  /** The underlying data store (for {@code DataStore.dropIndex}). */
  public DataStore data() {
    return data;
  }

  private static Model<StoredDoc> model(String name, List<DocIndex> indexes,
      ObjectMapper mapper) {
    Model.Builder<StoredDoc> m = Model.builder(StoredDoc.class, "doc." + name)
        .id(StoredDoc::id).codec(StoredDoc.codec(mapper)).timestamps(true);
    // Index values of a stored document (the old version of one being replaced or deleted) are
    // read from a projection of its bytes on every indexed path, parsed once for all indexes.
    Set<String> indexed = new LinkedHashSet<>();
    for (DocIndex ix : indexes) {
      for (int i = 0; i < ix.paths().size(); i++) {
        indexed.add(ix.path(i));
      }
    }
    Projection projection = Projection.ofPaths(indexed);
    for (DocIndex ix : indexes) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < ix.paths().size(); i++) {
        names.add(ix.path(i));
      }
      m.index(ix.name(), s -> {
        Index.Spec<StoredDoc> spec = s.values(names,
            d -> IndexValues.of(ix, d.body(projection)));
        return ix.unique() ? spec.unique() : spec;
      });
    }
    return m.build();
  }

  /** Declares collections; implements {@link TitoModule}. Not thread-safe. */
  public static final class Builder implements TitoModule<DocumentStore> {
    private final Map<String, List<DocIndex>> collections = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private ObjectMapper mapper = new ObjectMapper();
    private int scanLimit = DEFAULT_SCAN_LIMIT;
    private boolean registerNewIndexes = true;
    private final Map<String, String> sessionHeaders = new LinkedHashMap<>();

    private Builder() {}

    /**
     * A header every session adds to its outbox messages and to events made with
     * {@link DocumentSession#event} (e.g. an application or tenant name). Default: none.
     */
    public Builder sessionHeader(String name, String value) {
      if (name == null || name.isBlank() || value == null) {
        errors.add("a session header needs a name and a value");
      } else {
        sessionHeaders.put(name, value);
      }
      return this;
    }

    /** Declares collection {@code name} with its indexes (names unique in the collection). */
    public Builder collection(String name, DocIndex... indexes) {
      if (name == null || name.isBlank()) {
        errors.add("a collection needs a name");
        return this;
      }
      List<DocIndex> list = List.of(indexes);
      if (list.stream().map(DocIndex::name).distinct().count() != list.size()) {
        errors.add("duplicate index name {collection=" + name + "}");
      }
      if (collections.putIfAbsent(name, list) != null) {
        errors.add("duplicate collection {collection=" + name + "}");
      }
      return this;
    }

    /** The Jackson mapper for typed documents. Default: a plain {@code ObjectMapper}. */
    public Builder mapper(ObjectMapper value) {
      if (value == null) {
        errors.add("mapper must not be null");
      } else {
        this.mapper = value;
      }
      return this;
    }

    /** Default scan limit of queries, at least 1. Default {@link #DEFAULT_SCAN_LIMIT}. */
    public Builder scanLimit(int value) {
      if (value < 1) {
        errors.add("scanLimit must be positive");
      } else {
        this.scanLimit = value;
      }
      return this;
    }

    /**
     * Whether new indexes are registered when the store opens (see tito-data's
     * {@code DataStore.Builder.registerNewIndexes}). Default true: an index declared on a
     * collection that has documents is WRITE_ONLY until {@link DocCollection#buildIndex} builds
     * it; the planner uses only READABLE indexes.
     */
    public Builder registerNewIndexes(boolean value) {
      this.registerNewIndexes = value;
      return this;
    }

    /** {@code DocumentStore.class}. */
    @Override
    public Class<DocumentStore> type() {
      return DocumentStore.class;
    }

    /**
     * Opens the store on {@code tito} (registering new indexes).
     *
     * @throws InvalidArgumentException naming every problem in the declarations
     */
    @Override
    public DocumentStore open(Tito tito) {
      if (tito == null) {
        errors.add("a Tito store is required");
      }
      if (!errors.isEmpty()) {
        throw new InvalidArgumentException("invalid document store definition",
            Map.of("errors", List.copyOf(errors)));
      }
      return new DocumentStore(this, tito);
    }
  }
}
