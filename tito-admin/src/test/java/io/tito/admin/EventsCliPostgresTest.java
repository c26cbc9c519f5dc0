package io.tito.admin;

/** {@link EventsCliContract} on PostgreSQL, a fresh table per test. */
class EventsCliPostgresTest extends EventsCliContract {
  @Override
  String freshUrl() {
    return Stores.freshPostgres();
  }
}
