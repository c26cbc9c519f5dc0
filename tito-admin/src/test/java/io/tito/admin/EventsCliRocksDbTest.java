package io.tito.admin;

/** {@link EventsCliContract} on RocksDb. */
class EventsCliRocksDbTest extends EventsCliContract {
  @Override
  String freshUrl() {
    return Stores.freshRocksDb();
  }
}
