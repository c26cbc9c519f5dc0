package io.tito.admin;

/** {@link AdminServerContract} on PostgreSQL, a fresh table per test. */
class AdminServerPostgresTest extends AdminServerContract {
  @Override
  String freshUrl() {
    return Stores.freshPostgres();
  }
}
