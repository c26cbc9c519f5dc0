package io.tito.spring;

import io.tito.data.DataStore;

/**
 * A bean that adjusts the data store's settings before the store opens: model events, write hooks,
 * index registration. Models declared as {@code Model} beans are already added.
 */
@FunctionalInterface
public interface DataStoreCustomizer {

  /** Adjusts {@code builder}. */
  void customize(DataStore.Builder builder);
}
