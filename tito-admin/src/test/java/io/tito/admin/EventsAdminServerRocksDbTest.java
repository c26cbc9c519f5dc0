package io.tito.admin;

/** {@link EventsAdminServerContract} on RocksDB. */
class EventsAdminServerRocksDbTest extends EventsAdminServerContract {
  @Override
  String freshUrl() {
    return Stores.freshRocksDb();
  }
}
