package io.tito.data;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.TitoModule;
import io.tito.internal.data.Hydrator;
import io.tito.internal.data.IndexStates;
import io.tito.internal.data.Keys;
import io.tito.internal.data.Records;
import java.time.Clock;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The data layer of one {@link Tito} store: the registered models and their
 * {@link ModelStore}s. Keys live under {@code tito.root()}: records at
 * {@code (root, "t", table, id)}, index entries at {@code (root, "i", table, index, values..., id)},
 * index states at {@code (root, "m", "index", table, index)}, each table's registered indexes at
 * {@code (root, "m", "table", table)}.
 *
 * <pre>{@code
 * Tito tito = Tito.builder().url("rocksdb:data")
 *     .with(DataStore.models(users, posts)
 *         .events(ModelEvents.builder().publish(posts, "post-events")))   // optional
 *     .build();
 * ModelStore<User> userStore = tito.module(DataStore.class).store(users);
 * }</pre>
 *
 * <p>The {@linkplain #models settings} are a {@link TitoModule}: registered with {@code
 * Tito.Builder.with}, the data store opens with the Tito store and is shared through {@code
 * tito.module(DataStore.class)}. {@link Builder#open(Tito)} called directly is the explicit path:
 * a data store over an already-open Tito store that the caller keeps (tools, and tests that open
 * several definitions over one store).
 *
 * <p>Building reads (and for new indexes, decides) every index's state: a new index on a table
 * that already holds records is WRITE_ONLY until {@link ModelStore#buildIndex} completes.
 * Every write checks that its model declares every index registered in the store for the table
 * (READABLE or WRITE_ONLY), and is refused with {@link InvalidArgumentException} otherwise, so a
 * process running an older definition cannot leave a newer index incomplete.
 * Created/updated timestamps come from {@link Tito#clock()}. Thread-safe; one per Tito store,
 * shared.
 */
public final class DataStore {

  private final Tito tito;
  private final Clock clock;
  private final Keys keys;
  private final Map<String, Model<?>> models;
  private final Map<String, ModelStore<?>> stores = new LinkedHashMap<>();
  private final IndexStates states;

  private DataStore(Builder b, Tito tito) {
    this.tito = tito;
    this.clock = tito.clock();
    this.keys = new Keys(tito.root());
    this.models = b.models;
    this.states = new IndexStates(keys);
    Map<String, Records<?>> records = new LinkedHashMap<>();
    Hydrator hydrator = new Hydrator(records::get);
    List<WriteHook> hooks = new ArrayList<>(b.hooks);
    if (b.events != null) {
      hooks.add(b.events.build(tito.topics()));
    }
    for (Model<?> m : models.values()) {
      Records<?> r = newRecords(m, hooks);
      records.put(m.table(), r);
      stores.put(m.table(), newStore(r, states, hydrator));
      tito.inTransaction(tx -> states.init(tx, r, b.registerNewIndexes));
    }
  }

  private <T> Records<T> newRecords(Model<T> m, List<WriteHook> hooks) {
    return new Records<>(m, keys, clock, hooks);
  }

  private <T> ModelStore<T> newStore(Records<T> r, IndexStates states, Hydrator hydrator) {
    return new ModelStore<>(tito, r, states, hydrator);
  }

  /**
   * The settings of a data store holding {@code models} (more may be added with {@link
   * Builder#model}); register them with {@code Tito.builder().with(...)}.
   */
  public static Builder models(Model<?>... models) {
    Builder b = new Builder();
    for (Model<?> m : models == null ? new Model<?>[] {null} : models) {
      b.model(m);
    }
    return b;
  }

  /**
   * The store of a registered model.
   *
   * @throws InvalidArgumentException if the model (this very definition) is not registered
   */
  @SuppressWarnings("unchecked")
  public <T> ModelStore<T> store(Model<T> model) {
    ModelStore<?> s = model == null ? null : stores.get(model.table());
    if (s == null || s.model() != model) {
      throw new InvalidArgumentException("model is not registered in this data store",
          Map.of("model", String.valueOf(model)));
    }
    return (ModelStore<T>) s;
  }

  /** The Tito store underneath. */
  public Tito tito() {
    return tito;
  }

  /** The clock stamping created/updated times: the Tito store's {@link Tito#clock()}. */
  public Clock clock() {
    return clock;
  }

  /** The tables of the models registered in this data store, in registration order. */
  public List<String> tables() {
    return List.copyOf(models.keySet());
  }

  /**
   * The registered model whose table is {@code table}, if any (for tools that work by name, such
   * as the admin CLI; applications keep their {@link Model} constants).
   */
  public Optional<ModelStore<?>> store(String table) {
    return Optional.ofNullable(stores.get(table));
  }

  /**
   * The index states stored in the Tito store, table by table and index by index (both sorted),
   * whether or not this process registered the models: what every process of the application
   * sees. An index absent here is DISABLED. One snapshot read of the metadata.
   */
  public Map<String, Map<String, IndexState>> storedIndexStates() {
    Subspace space = tito.root().subspace("m", "index");
    return tito.read(tx -> {
      Map<String, Map<String, IndexState>> out = new TreeMap<>();
      try (KeyValueCursor c = tx.scan(space.range())) {
        while (c.hasNext()) {
          KeyValue kv = c.next();
          Tuple k = space.unpack(kv.key());
          out.computeIfAbsent(k.getString(0), t -> new TreeMap<>())
              .put(k.getString(1), IndexState.valueOf(Tuple.unpack(kv.value()).getString(0)));
        }
      }
      Map<String, Map<String, IndexState>> frozen = new LinkedHashMap<>();
      out.forEach((t, m) -> frozen.put(t, Collections.unmodifiableMap(m)));
      return Collections.unmodifiableMap(frozen);
    });
  }

  /**
   * Drops an index that no registered model defines any more: removes all its entries and its
   * state, in one transaction.
   *
   * @throws InvalidArgumentException if a registered model still defines it (it would be
   *     maintained again)
   */
  public void dropIndex(String table, String index) {
    Model<?> m = models.get(table);
    if (m != null && m.index(index).isPresent()) {
      throw new InvalidArgumentException("index is still defined by its model",
          Map.of("table", table, "index", index));
    }
    tito.inTransaction(tx -> {
      tx.clearRange(keys.index(table, index).range());
      states.drop(tx, table, index);
    });
  }

  /**
   * Settings of a {@link DataStore}, a {@link TitoModule}: {@link #open(Tito)} validates them.
   * Not thread-safe.
   */
  public static final class Builder implements TitoModule<DataStore> {
    private ModelEvents.Builder events;
    private final Map<String, Model<?>> models = new LinkedHashMap<>();
    private final List<WriteHook> hooks = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private boolean registerNewIndexes = true;

    private Builder() {}

    /** Registers a model; table names must be unique. */
    public Builder model(Model<?> model) {
      if (model == null) {
        errors.add("model must not be null");
      } else if (models.putIfAbsent(model.table(), model) != null) {
        errors.add("duplicate table {table=" + model.table() + "}");
      }
      return this;
    }

    /**
     * The events the models' writes publish, in the writing transaction, through {@code
     * tito.topics()} (see {@link ModelEvents}). Default: none. The topics must exist before the
     * first write.
     */
    public Builder events(ModelEvents.Builder value) {
      if (value == null) {
        errors.add("events must not be null");
      } else {
        this.events = value;
      }
      return this;
    }

    /**
     * Whether {@link #build()} registers the indexes the store has never seen (READABLE on an
     * empty table, WRITE_ONLY otherwise). Default: true. With false they stay
     * {@link IndexState#DISABLED} (not maintained, not queryable) until
     * {@link ModelStore#buildIndex} registers and builds them: the way to add an index in a
     * rolling deploy, where processes with the old definition keep writing until they are
     * replaced (writes from a definition that lacks a registered index are refused).
     */
    public Builder registerNewIndexes(boolean value) {
      this.registerNewIndexes = value;
      return this;
    }

    /** Adds a hook called inside every write's transaction. Default: none. */
    public Builder hook(WriteHook hook) {
      if (hook == null) {
        errors.add("hook must not be null");
      } else {
        hooks.add(hook);
      }
      return this;
    }

    /** {@code DataStore.class}. */
    @Override
    public Class<DataStore> type() {
      return DataStore.class;
    }

    /**
     * Validates the settings and opens the data store on {@code tito} (one transaction per model
     * to read index states). Called by {@code Tito.Builder.build()} for a registered module; see
     * the class documentation for calling it directly.
     *
     * @throws InvalidArgumentException naming every problem: no Tito store, duplicate tables,
     *     relationships whose target table is not registered, invalid events
     */
    @Override
    public DataStore open(Tito tito) {
      List<String> errors = new ArrayList<>(this.errors);
      if (tito == null) {
        errors.add("a Tito store is required");
      }
      for (Model<?> m : models.values()) {
        for (Relationship<?> r : m.relationships()) {
          if (!models.containsKey(r.target())) {
            errors.add("relationship target table is not registered {table=" + m.table()
                + ", relationship=" + r.name() + ", target=" + r.target() + "}");
          }
        }
      }
      if (!errors.isEmpty()) {
        throw new InvalidArgumentException("invalid data store definition",
            Map.of("errors", List.copyOf(errors)));
      }
      return new DataStore(this, tito);
    }
  }
}
