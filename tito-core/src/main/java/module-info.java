/**
 * Tito core: the API ({@code io.tito}), the tuple codec, pub/sub and the outbox, the engine SPI
 * and the in-memory engine. {@code io.tito.internal} and {@code io.tito.internal.pubsub} are not
 * exported, except {@code io.tito.internal.pubsub} to {@code io.tito.events} alone, whose
 * projections and subscriptions run on the consumer core (see docs/DESIGN-NOTES.md, "Modules").
 */
module io.tito.core {
  requires transitive org.slf4j;

  exports io.tito;
  exports io.tito.tuple;
  exports io.tito.spi;
  exports io.tito.pubsub;
  exports io.tito.pubsub.testing;
  exports io.tito.memory;
  // The consumer core's seam for the event store's projections and subscriptions (LogReader).
  exports io.tito.internal.pubsub to io.tito.events;

  uses io.tito.spi.EngineProvider;

  provides io.tito.spi.EngineProvider with io.tito.memory.MemoryEngineProvider;
}
