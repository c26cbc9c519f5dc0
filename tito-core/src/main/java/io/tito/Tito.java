package io.tito;

import io.tito.internal.EngineRegistry;
import io.tito.internal.Lifecycle;
import io.tito.internal.TopicsAccess;
import io.tito.internal.TransactionRunner;
import io.tito.pubsub.Topics;
import io.tito.spi.Engine;
import io.tito.tuple.Subspace;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The front door: a store on one engine, with the transaction runner, from which everything else
 * is reached: {@linkplain #topics() topics} (pub/sub and the outbox) and the {@linkplain
 * #module(Class) modules} registered when it was built (models, and the modules to come), each
 * made once and shared.
 *
 * <pre>{@code
 * try (Tito tito = Tito.open("rocksdb:data")) {                   // or "memory:", "jdbc:postgresql://..."
 *   Subspace users = tito.root().subspace("users");
 *   tito.inTransaction(tx -> tx.set(users.pack("ada"), bytes));
 *   byte[] v = tito.read(tx -> tx.get(users.pack("ada")));
 *   tito.topics().createTopic("orders");
 * }
 *
 * Tito tito = Tito.builder().url("rocksdb:data")
 *     .with(DataStore.models(orders, customers))                 // tito-data
 *     .build();
 * ModelStore<Order> store = tito.module(DataStore.class).store(orders);
 * }</pre>
 *
 * <p>Explicit engine construction stays available for settings a URL cannot carry: {@code
 * Tito.open(RocksDbEngine.open(options))}, {@code Tito.builder().engine(engine)}.
 *
 * <p>Thread-safe: share one instance per store across the application. Closing it stops the
 * subscriptions started on it, closes its modules, then closes the engine (see {@link #close()}).
 */
public final class Tito implements AutoCloseable {

  static {
    Lifecycle.access(tito -> tito.lifecycle);
  }

  private final Lifecycle lifecycle = new Lifecycle();
  private final Engine engine;
  private final Subspace root;
  private final RetryPolicy retryPolicy;
  private final TransactionRunner runner;
  private final Clock clock;
  private final Map<Class<?>, Object> modules = new LinkedHashMap<>();
  /** Guards making {@link #topics} and writing {@link #modules}: locks, not monitors (DESIGN-NOTES). */
  private final ReentrantLock topicsLock = new ReentrantLock();
  private final ReentrantLock modulesLock = new ReentrantLock();
  private volatile Topics topics;

  private Tito(Builder b) {
    this.engine = b.engine;
    this.root = b.root;
    this.retryPolicy = b.retryPolicy;
    this.clock = b.clock;
    this.runner = new TransactionRunner(engine);
  }

  /** A builder; {@link Builder#build()} validates every setting. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens a store on {@code engine} with default settings: the explicit path, for engines built
   * in code (e.g. {@code RocksDbEngine.open(options)}, {@code new MemoryEngine()}). The store takes
   * ownership of the engine and closes it.
   */
  public static Tito open(Engine engine) {
    return builder().engine(engine).build();
  }

  /**
   * Opens a store on the engine described by {@code url}, with default settings: see {@link
   * Builder#url(String)} for the forms.
   *
   * @throws InvalidArgumentException if no engine on the module or class path opens the URL, or
   *     its settings are invalid
   * @throws StorageException if the engine cannot be opened
   */
  public static Tito open(String url) {
    return builder().url(url).build();
  }

  /**
   * Runs {@code fn} in a read-write transaction and commits, retrying the whole function on
   * retriable failures according to the {@linkplain Builder#retryPolicy store's retry policy}.
   * {@code fn} may therefore run more than once: keep side effects out of it, or use
   * {@link Transaction#afterCommit}.
   *
   * @return what {@code fn} returned in the attempt that committed
   * @throws ConflictException if conflicts persisted past the policy's limits
   * @throws CommitUnknownException if the outcome of the commit is unknown (not retried unless the
   *     policy is idempotent)
   * @throws TitoException other failures; any exception {@code fn} throws is rethrown as is,
   *     after rolling back
   */
  public <T> T transaction(TransactionFunction<T> fn) {
    return transaction(retryPolicy, fn);
  }

  /** Like {@link #transaction(TransactionFunction)} with a specific retry policy. */
  public <T> T transaction(RetryPolicy policy, TransactionFunction<T> fn) {
    requireNonNull(policy, "policy");
    requireNonNull(fn, "fn");
    return runner.run(false, policy, fn);
  }

  /** Like {@link #transaction(TransactionFunction)} for work that returns nothing. */
  public void inTransaction(TransactionAction action) {
    requireNonNull(action, "action");
    runner.run(false, retryPolicy, tx -> {
      action.accept(tx);
      return null;
    });
  }

  /**
   * Runs {@code fn} in a read-only transaction: one consistent snapshot, cheap, never conflicting.
   * Writes throw {@link InvalidArgumentException}.
   */
  public <T> T read(TransactionFunction<T> fn) {
    requireNonNull(fn, "fn");
    return runner.run(true, retryPolicy, fn);
  }

  /** The subspace under which every key of this Tito store lives. */
  public Subspace root() {
    return root;
  }

  /**
   * Pub/sub and the outbox on this store, with the store's {@linkplain #clock() clock}. Made on
   * the first call and shared: every call returns the same instance.
   */
  public Topics topics() {
    Topics t = topics;
    if (t == null) {
      topicsLock.lock();
      try {
        t = topics;
        if (t == null) {
          t = TopicsAccess.newTopics(this, clock);
          topics = t;
        }
      } finally {
        topicsLock.unlock();
      }
    }
    return t;
  }

  /**
   * The module of type {@code type} registered with {@link Builder#with} (e.g. {@code
   * tito.module(DataStore.class)}), opened once when the store was built.
   *
   * @throws InvalidArgumentException if no module of that type was registered
   */
  public <M> M module(Class<M> type) {
    requireNonNull(type, "type");
    Object m = modules.get(type);
    if (m == null) {
      throw new InvalidArgumentException("no module of that type was registered on this store",
          Map.of("type", type.getName(), "registered",
              modules.keySet().stream().map(Class::getName).toList()));
    }
    return type.cast(m);
  }

  /**
   * The clock of this store's modules: publish, due and lease times of {@link #topics()},
   * timestamps of models. Default {@link Clock#systemUTC()}; tests pass a {@link ManualClock}.
   */
  public Clock clock() {
    return clock;
  }

  /** The engine underneath. */
  public Engine engine() {
    return engine;
  }

  /** The default retry policy of {@link #transaction} and {@link #read}. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * Closes the store. First every {@linkplain io.tito.pubsub.Subscription subscription} started on
   * it stops, all at once, as by {@link io.tito.pubsub.Subscription#close()}: no new fetches,
   * in-flight handlers finish and commit within the subscription's {@linkplain
   * io.tito.pubsub.SubscribeOptions#shutdownTimeout shutdown timeout}, leases are released so that
   * another process takes the partitions at once; then the engine closes. Subscribing while or
   * after closing throws {@link ClosedException}. Idempotent.
   */
  @Override
  public void close() {
    close(null);
  }

  /**
   * Like {@link #close()}, but every subscription gets at most {@code timeout} (instead of its
   * own shutdown timeout) for its in-flight handlers; the engine closes in any case.
   *
   * @param timeout how long to wait for subscriptions, or null for each one's shutdown timeout
   * @return whether every subscription stopped within its time (false: some handler was still
   *     running and was interrupted; its event is delivered again later)
   * @throws InvalidArgumentException if {@code timeout} is negative
   */
  public boolean close(Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      throw new InvalidArgumentException("close timeout must not be negative",
          Map.of("timeout", timeout.toString()));
    }
    try {
      boolean inTime = lifecycle.stopAll(timeout);
      closeModules();
      return inTime;
    } finally {
      engine.close();
    }
  }

  private void closeModules() {
    List<Object> open;
    modulesLock.lock();
    try {
      open = new ArrayList<>(modules.values());
    } finally {
      modulesLock.unlock();
    }
    RuntimeException failure = null;
    for (int i = open.size() - 1; i >= 0; i--) {
      if (open.get(i) instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          if (failure == null) {
            failure = new StorageException("a module failed to close", Map.of(
                "module", c.getClass().getName()), e);
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void openModules(List<TitoModule<?>> recipes) {
    for (TitoModule<?> recipe : recipes) {
      Object m = recipe.open(this);
      if (m == null || !recipe.type().isInstance(m)) {
        throw new InvalidArgumentException("a module opened to nothing or to the wrong type",
            Map.of("type", recipe.type().getName()));
      }
      modulesLock.lock();
      try {
        modules.put(recipe.type(), m);
      } finally {
        modulesLock.unlock();
      }
    }
  }

  private static void requireNonNull(Object value, String name) {
    if (value == null) {
      throw new InvalidArgumentException("argument must not be null", Map.of("argument", name));
    }
  }

  /** Settings of a {@link Tito} store. Not thread-safe; build once. */
  public static final class Builder {
    private Engine engine;
    private String engineName;
    private Map<String, String> engineSettings = Map.of();
    private Subspace root = new Subspace(io.tito.tuple.Tuple.of("tito"));
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private String url;
    private final List<TitoModule<?>> modules = new ArrayList<>();

    private Builder() {}

    /**
     * The engine described by a URL, found through {@link java.util.ServiceLoader} among the
     * engines on the module or class path and opened at {@link #build()}. Forms:
     *
     * <ul>
     *   <li>{@code memory:} the in-memory engine (tito-core);
     *   <li>{@code rocksdb:<directory>[?setting=value&...]} RocksDB (tito-rocksdb), e.g. {@code
     *       rocksdb:data?durability=sync};
     *   <li>{@code jdbc:postgresql://...}, {@code jdbc:mariadb://...}, {@code jdbc:mysql://...}
     *       the JDBC engine (tito-jdbc): query parameters that are engine settings (e.g. {@code
     *       table}, {@code poolSize}) are taken out, the rest stays in the JDBC URL.
     * </ul>
     *
     * <p>Settings are listed by each engine (its README and provider javadoc); an unknown one is
     * an error. Replaces any engine given before.
     */
    public Builder url(String value) {
      this.url = value;
      this.engine = null;
      this.engineName = null;
      return this;
    }

    /**
     * Registers a module, opened at {@link #build()} in registration order and reached with
     * {@link Tito#module(Class)}. One module per {@linkplain TitoModule#type() type}.
     */
    public Builder with(TitoModule<?> module) {
      requireNonNull(module, "module");
      modules.add(module);
      return this;
    }

    /**
     * The clock of the store's modules ({@link Tito#clock()}). Default: {@link
     * Clock#systemUTC()}. Every process sharing a store should use clocks that agree to well
     * within the subscriptions' lease timeout.
     */
    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /** The engine to use; the store takes ownership and closes it. Required (or a name). */
    public Builder engine(Engine value) {
      this.engine = value;
      this.engineName = null;
      this.url = null;
      return this;
    }

    /**
     * An engine found by name through {@link java.util.ServiceLoader} ({@code memory},
     * {@code rocksdb}, {@code postgresql}, {@code mariadb}) and opened with {@code settings} at
     * {@link #build()}: the form of {@link #url(String)} for settings kept in a map.
     */
    public Builder engine(String name, Map<String, String> settings) {
      this.engineName = name;
      this.engineSettings = settings == null ? Map.of() : Map.copyOf(settings);
      this.engine = null;
      this.url = null;
      return this;
    }

    /** The subspace under which Tito keeps every key. Default: the tuple {@code ("tito")}. */
    public Builder root(Subspace value) {
      this.root = value;
      return this;
    }

    /** The retry policy of {@link Tito#transaction}. Default: {@link RetryPolicy#DEFAULT}. */
    public Builder retryPolicy(RetryPolicy value) {
      this.retryPolicy = value;
      return this;
    }

    /**
     * Validates the settings, opens the engine (if given by URL or name), then each module.
     *
     * @throws InvalidArgumentException if no engine was given, the URL or name is unknown, a
     *     setting is null, two modules have one type, or a module's settings are invalid (the
     *     engine and the modules opened so far are then closed)
     */
    public Tito build() {
      requireNonNull(root, "root");
      requireNonNull(retryPolicy, "retryPolicy");
      requireNonNull(clock, "clock");
      if (engine == null && engineName == null && url == null) {
        throw new InvalidArgumentException("an engine is required", Map.of());
      }
      List<String> types = new ArrayList<>();
      for (TitoModule<?> m : modules) {
        String type = String.valueOf(m.type() == null ? null : m.type().getName());
        if (types.contains(type)) {
          throw new InvalidArgumentException("two modules of one type", Map.of("type", type));
        }
        types.add(type);
      }
      Engine opened = engine;
      if (url != null) {
        opened = EngineRegistry.openUrl(url);
      } else if (opened == null) {
        opened = EngineRegistry.open(engineName, engineSettings);
      }
      Tito tito = new Tito(new Builder(this, opened));
      try {
        tito.openModules(modules);
      } catch (RuntimeException ex) {
        try {
          tito.close();
        } catch (RuntimeException suppressed) {
          ex.addSuppressed(suppressed);
        }
        throw ex;
      }
      return tito;
    }

    /** The settings of {@code b} with the opened engine: what a {@link Tito} keeps. */
    private Builder(Builder b, Engine engine) {
      this.engine = engine;
      this.root = b.root;
      this.retryPolicy = b.retryPolicy;
      this.clock = b.clock;
    }
  }
}
