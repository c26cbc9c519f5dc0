/**
 * Models on a Tito store: typed records with versions and timestamps, indexes kept in the writing
 * transaction, paged queries with continuations, relationships, online index builds, and model
 * events (the outbox fed by writes). A {@link io.tito.data.DataStore} is a {@link
 * io.tito.TitoModule}: register it with {@code Tito.builder().with(DataStore.models(...))} and
 * reach it with {@code tito.module(DataStore.class)}. See the module README.
 */
package io.tito.data;
