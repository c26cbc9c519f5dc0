package io.tito.admin;

/** {@link OpsCliContract} on PostgreSQL, fresh tables per test. */
class OpsCliPostgresTest extends OpsCliContract {
  @Override
  String freshUrl() {
    return Stores.freshPostgres();
  }
}
