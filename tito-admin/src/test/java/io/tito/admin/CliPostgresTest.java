package io.tito.admin;

/** {@link CliContract} on PostgreSQL, a fresh table per test. */
class CliPostgresTest extends CliContract {
  @Override
  String freshUrl() {
    return Stores.freshPostgres();
  }
}
