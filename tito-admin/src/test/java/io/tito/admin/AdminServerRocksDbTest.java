package io.tito.admin;

/** {@link AdminServerContract} on RocksDB. */
class AdminServerRocksDbTest extends AdminServerContract {
  @Override
  String freshUrl() {
    return Stores.freshRocksDb();
  }
}
