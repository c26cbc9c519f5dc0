package io.tito.admin;

/** {@link OpsCliContract} on RocksDB. */
class OpsCliRocksDbTest extends OpsCliContract {
  @Override
  String freshUrl() {
    return Stores.freshRocksDb();
  }
}
