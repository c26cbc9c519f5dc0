package io.tito.admin;

/** {@link OpsServerContract} on PostgreSQL, a fresh table per test. */
class OpsServerPostgresTest extends OpsServerContract {
  @Override
  String freshUrl() {
    return Stores.freshPostgres();
  }
}
