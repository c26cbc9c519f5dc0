/**
 * Tito's API. {@link io.tito.Tito} is the front door: a store opened from a URL ({@code
 * Tito.open("rocksdb:data")}, {@code "memory:"}, {@code "jdbc:postgresql://..."}) or a builder,
 * from which everything else is reached, each object made once and shared: key-value
 * transactions ({@link io.tito.Tito#transaction}, {@link io.tito.Tito#read}), pub/sub and the
 * outbox ({@link io.tito.Tito#topics()}), and the {@linkplain io.tito.TitoModule modules}
 * registered when it was built, such as the data layer's {@code DataStore} ({@link
 * io.tito.Tito#module(Class)}).
 *
 * <pre>{@code
 * try (Tito tito = Tito.builder().url("rocksdb:data")
 *     .with(DataStore.models(customers, orders)
 *         .events(ModelEvents.builder().publish(orders, "order-events")))
 *     .build()) {
 *   ModelStore<Order> store = tito.module(DataStore.class).store(orders);
 *   tito.topics().subscribe("order-events", "billing", event -> bill(event), SubscribeOptions.DEFAULTS);
 * }
 * }</pre>
 *
 * <p>Every exception is an unchecked {@link io.tito.TitoException}. The engine SPI is in {@code
 * io.tito.spi}; internals ({@code io.tito.internal}) are not exported by the module.
 */
package io.tito;
