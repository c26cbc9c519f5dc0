package io.tito;

import io.tito.internal.EngineRegistry;
import io.tito.internal.Lifecycle;
import io.tito.internal.TransactionRunner;
import io.tito.spi.Engine;
import io.tito.tuple.Subspace;
import java.time.Duration;
import java.util.Map;

/**
 * The entry point: a store on one engine, with the transaction runner.
 *
 * <pre>{@code
 * try (Tito tito = Tito.builder().engine("rocksdb", Map.of("path", "data")).build()) {
 *   Subspace users = tito.root().subspace("users");
 *   tito.inTransaction(tx -> tx.set(users.pack("ada"), bytes));
 *   byte[] v = tito.read(tx -> tx.get(users.pack("ada")));
 * }
 * }</pre>
 *
 * <p>Thread-safe: share one instance per store across the application. Closing it stops the
 * subscriptions started on it, then closes the engine (see {@link #close()}).
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

  private Tito(Builder b) {
    this.engine = b.engine;
    this.root = b.root;
    this.retryPolicy = b.retryPolicy;
    this.runner = new TransactionRunner(engine);
  }

  /** A builder; {@link Builder#build()} validates every setting. */
  public static Builder builder() {
    return new Builder();
  }

  /** Opens a store on {@code engine} with default settings. */
  public static Tito open(Engine engine) {
    return builder().engine(engine).build();
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
   * Pub/sub on this store with the system clock: a lightweight view, equivalent to {@link
   * io.tito.pubsub.Topics#of(Tito)}; views of one store cooperate. Use {@code Topics.of(tito,
   * clock)} for another clock.
   */
  public io.tito.pubsub.Topics topics() {
    return io.tito.pubsub.Topics.of(this);
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
      return lifecycle.stopAll(timeout);
    } finally {
      engine.close();
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

    private Builder() {}

    /** The engine to use; the store takes ownership and closes it. Required (or a name). */
    public Builder engine(Engine value) {
      this.engine = value;
      this.engineName = null;
      return this;
    }

    /**
     * An engine found by name through {@link java.util.ServiceLoader} ({@code memory},
     * {@code rocksdb}, ...) and opened with {@code settings} at {@link #build()}.
     */
    public Builder engine(String name, Map<String, String> settings) {
      this.engineName = name;
      this.engineSettings = settings == null ? Map.of() : Map.copyOf(settings);
      this.engine = null;
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
     * Validates the settings and opens the store.
     *
     * @throws InvalidArgumentException if no engine was given, the name is unknown, or a setting
     *     is null
     */
    public Tito build() {
      requireNonNull(root, "root");
      requireNonNull(retryPolicy, "retryPolicy");
      if (engine == null && engineName == null) {
        throw new InvalidArgumentException("an engine is required", Map.of());
      }
      if (engine == null) {
        engine = EngineRegistry.open(engineName, engineSettings);
      }
      return new Tito(this);
    }
  }
}
