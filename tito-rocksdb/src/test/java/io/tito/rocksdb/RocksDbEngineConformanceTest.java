package io.tito.rocksdb;

/** The conformance kit on the default durability, {@link Durability#GROUP}. */
class RocksDbEngineConformanceTest extends RocksDbConformanceSupport {
  @Override
  Durability durability() {
    return Durability.GROUP;
  }
}
