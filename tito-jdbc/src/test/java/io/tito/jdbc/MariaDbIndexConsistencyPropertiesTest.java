package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.data.IndexConsistencyProperties;
import net.jqwik.api.PropertyDefaults;

/** The index consistency properties (data kit) on the local MARIADB server: 100 tries, fresh tables each. */
@PropertyDefaults(tries = 100)
class MariaDbIndexConsistencyPropertiesTest extends IndexConsistencyProperties {
  private final JdbcDataStores stores = new JdbcDataStores(SqlDialect.MARIADB);

  @Override
  protected Engine createEngine() {
    return stores.open();
  }

  @Override
  protected void afterTry() {
    stores.drop();
  }
}
