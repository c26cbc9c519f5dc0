package io.tito.admin;

/** {@link EventsAdminServerContract} on PostgreSQL, a fresh table per test. */
class EventsAdminServerPostgresTest extends EventsAdminServerContract {
  @Override
  String freshUrl() {
    return Stores.freshPostgres();
  }
}
