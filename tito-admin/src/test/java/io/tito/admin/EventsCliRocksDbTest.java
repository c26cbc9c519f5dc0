package io.tito.admin;

/** {@link EventsCliContract} on RocksDB. */
class EventsCliRocksDbTest extends EventsCliContract {
  @Override
  String freshUrl() {
    return Stores.freshRocksDb();
  }
}
