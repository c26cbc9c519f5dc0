package io.tito.rocksdb;

/** The conformance kit with {@link Durability#SYNC}: one fsync per commit under the commit lock. */
class RocksDbSyncConformanceTest extends RocksDbConformanceSupport {
  @Override
  Durability durability() {
    return Durability.SYNC;
  }
}
