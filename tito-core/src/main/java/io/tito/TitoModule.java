package io.tito;

/**
 * A part of the library that hangs off a {@link Tito} store, such as the data layer's {@code
 * DataStore}: registered with {@link Tito.Builder#with}, opened once when the store is built,
 * reached with {@link Tito#module(Class)}, and closed with the store (if it is {@link
 * AutoCloseable}) after its subscriptions stop and before its engine closes.
 *
 * <p>A module's settings object (its builder) implements this interface, so a store is described
 * in one place:
 *
 * <pre>{@code
 * Tito tito = Tito.builder().url("rocksdb:data")
 *     .with(DataStore.models(orders, customers))
 *     .build();
 * DataStore data = tito.module(DataStore.class);
 * }</pre>
 *
 * @param <M> the type of the module's object
 */
public interface TitoModule<M> {

  /** The type under which {@link Tito#module(Class)} finds the module; one module per type. */
  Class<M> type();

  /**
   * Opens the module on {@code tito}. Called once by {@link Tito.Builder#build()}, in
   * registration order (a module may reach the modules registered before it and {@link
   * Tito#topics()}). Calling it directly attaches a module to an already-open store without
   * registering it: the caller then owns it (it is neither found by {@link Tito#module} nor
   * closed with the store).
   *
   * @throws InvalidArgumentException if the module's settings are invalid
   */
  M open(Tito tito);
}
