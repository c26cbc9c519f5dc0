package io.tito.rocksdb;

import io.tito.spi.Engine;
import io.tito.testkit.data.IndexConsistencyProperties;
import net.jqwik.api.PropertyDefaults;

/** The index consistency properties on RocksDB: 300 tries, a fresh store directory each. */
@PropertyDefaults(tries = 300)
class RocksDbIndexConsistencyPropertiesTest extends IndexConsistencyProperties {
  private final RocksDbDataStores stores = new RocksDbDataStores();

  @Override
  protected Engine createEngine() {
    return stores.open();
  }

  @Override
  protected void afterTry() {
    stores.delete();
  }
}
