package io.tito.admin;

/**
 * The two kinds of event-store consumers an operator manages: {@linkplain
 * io.tito.events.Projections projections} and {@linkplain io.tito.events.EventSubscriptions
 * subscription groups}. Both are consumer groups over {@code $all} with a status, pause and
 * resume, and dead letters; only projections can be reset, rebuilt and run by the admin tools.
 */
public enum EventConsumerKind {
  /** A projection: a read model folded from {@code $all}. */
  PROJECTION,
  /** A subscription group over {@code $all}. */
  SUBSCRIPTION
}
