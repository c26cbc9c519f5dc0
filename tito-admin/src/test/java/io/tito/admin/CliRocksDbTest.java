package io.tito.admin;

/** {@link CliContract} on RocksDB. */
class CliRocksDbTest extends CliContract {
  @Override
  String freshUrl() {
    return Stores.freshRocksDb();
  }
}
