/**
 * Tito events: an event store on the Tito engine SPI ({@code io.tito.events}): streams with
 * expected versions, a commit-ordered global log ({@code $all}), idempotent appends, stream
 * aliases, aggregates and snapshots. {@code io.tito.internal.events} is not exported. Aggregate
 * states are snapshotted with Jackson: on the module path, open their package to {@code
 * com.fasterxml.jackson.databind}.
 */
module io.tito.events {
  requires transitive io.tito.core;
  requires transitive com.fasterxml.jackson.databind;

  exports io.tito.events;
}
