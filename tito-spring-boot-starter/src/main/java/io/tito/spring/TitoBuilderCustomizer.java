package io.tito.spring;

import io.tito.Tito;

/**
 * A bean that adjusts the store's builder before the starter builds the {@link Tito} bean (retry
 * policy, clock, root subspace, more modules). Called after the engine is set, in bean order.
 */
@FunctionalInterface
public interface TitoBuilderCustomizer {

  /** Adjusts {@code builder}; must not call {@code build()}. */
  void customize(Tito.Builder builder);
}
