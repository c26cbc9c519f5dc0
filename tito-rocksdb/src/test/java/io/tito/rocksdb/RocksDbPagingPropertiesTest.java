package io.tito.rocksdb;

import io.tito.spi.Engine;
import io.tito.testkit.data.PagingProperties;
import net.jqwik.api.PropertyDefaults;

/** The paging properties on RocksDB: 500 tries, a fresh store directory each. */
@PropertyDefaults(tries = 500)
class RocksDbPagingPropertiesTest extends PagingProperties {
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
