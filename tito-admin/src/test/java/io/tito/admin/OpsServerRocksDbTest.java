package io.tito.admin;

/** {@link OpsServerContract} on RocksDB. */
class OpsServerRocksDbTest extends OpsServerContract {
  @Override
  String freshUrl() {
    return Stores.freshRocksDb();
  }
}
