package io.tito.rocksdb;

/** The conformance kit with {@link Durability#NONE}: no syncer thread, no fsync. */
class RocksDbNoneConformanceTest extends RocksDbConformanceSupport {
  @Override
  Durability durability() {
    return Durability.NONE;
  }
}
