package io.tito.data;

import io.tito.InvalidArgumentException;
import io.tito.Tito;
import io.tito.data.internal.Hydrator;
import io.tito.data.internal.IndexStates;
import io.tito.data.internal.Keys;
import io.tito.data.internal.Records;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data layer of one {@link Tito} store: the registered models and their
 * {@link ModelStore}s. Keys live under {@code tito.root()}: records at
 * {@code (root, "t", table, id)}, index entries at {@code (root, "i", table, index, values..., id)},
 * index states at {@code (root, "m", "index", table, index)}, each table's registered indexes at
 * {@code (root, "m", "table", table)}.
 *
 * <pre>{@code
 * DataStore data = DataStore.builder(tito).model(users).model(posts).build();
 * ModelStore<User> userStore = data.store(users);
 * }</pre>
 *
 * <p>Building reads (and for new indexes, decides) every index's state: a new index on a table
 * that already holds records is WRITE_ONLY until {@link ModelStore#buildIndex} completes.
 * Every write checks that its model declares every index registered in the store for the table
 * (READABLE or WRITE_ONLY), and is refused with {@link InvalidArgumentException} otherwise, so a
 * process running an older definition cannot leave a newer index incomplete.
 * Thread-safe; create one per Tito store and share it.
 */
public final class DataStore {

  private final Tito tito;
  private final Clock clock;
  private final Keys keys;
  private final Map<String, Model<?>> models;
  private final Map<String, ModelStore<?>> stores = new LinkedHashMap<>();
  private final IndexStates states;

  private DataStore(Builder b) {
    this.tito = b.tito;
    this.clock = b.clock;
    this.keys = new Keys(tito.root());
    this.models = b.models;
    this.states = new IndexStates(keys);
    Map<String, Records<?>> records = new LinkedHashMap<>();
    Hydrator hydrator = new Hydrator(records::get);
    for (Model<?> m : models.values()) {
      Records<?> r = newRecords(m, b.hooks);
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

  /** A builder over {@code tito}. */
  public static Builder builder(Tito tito) {
    return new Builder(tito);
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

  /** The clock stamping created/updated times. */
  public Clock clock() {
    return clock;
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

  /** Settings of a {@link DataStore}; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final Tito tito;
    private Clock clock = Clock.systemUTC();
    private final Map<String, Model<?>> models = new LinkedHashMap<>();
    private final List<WriteHook> hooks = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private boolean registerNewIndexes = true;

    private Builder(Tito tito) {
      this.tito = tito;
    }

    /** Registers a model; table names must be unique. */
    public Builder model(Model<?> model) {
      if (model == null) {
        errors.add("model must not be null");
      } else if (models.putIfAbsent(model.table(), model) != null) {
        errors.add("duplicate table {table=" + model.table() + "}");
      }
      return this;
    }

    /** The clock for created/updated timestamps. Default: {@link Clock#systemUTC()}. */
    public Builder clock(Clock value) {
      this.clock = value;
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

    /**
     * Validates and opens the data store (one transaction per model to read index states).
     *
     * @throws InvalidArgumentException naming every problem: no Tito store, no clock, duplicate
     *     tables, relationships whose target table is not registered
     */
    public DataStore build() {
      if (tito == null) {
        errors.add("a Tito store is required");
      }
      if (clock == null) {
        errors.add("clock must not be null");
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
      return new DataStore(this);
    }
  }
}
