/**
 * The embedded RocksDB engine ({@code io.tito.rocksdb}), found by {@code Tito.open("rocksdb:...")}.
 * rocksdbjni has no module name of its own and is read as the automatic module {@code rocksdbjni}.
 */
module io.tito.rocksdb {
  requires transitive io.tito.core;
  requires rocksdbjni;
  requires jdk.management;

  exports io.tito.rocksdb;

  provides io.tito.spi.EngineProvider with io.tito.rocksdb.RocksDbEngineProvider;
}
