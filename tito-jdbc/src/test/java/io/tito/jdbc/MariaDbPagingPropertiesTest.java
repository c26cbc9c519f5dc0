package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.testkit.data.PagingProperties;
import net.jqwik.api.PropertyDefaults;

/** The paging properties (data kit) on the local MARIADB server: 100 tries, fresh tables each. */
@PropertyDefaults(tries = 100)
class MariaDbPagingPropertiesTest extends PagingProperties {
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
