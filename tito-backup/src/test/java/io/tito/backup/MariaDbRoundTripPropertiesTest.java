package io.tito.backup;

import io.tito.spi.Engine;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterContainer;

@PropertyDefaults(tries = 15)
class MariaDbRoundTripPropertiesTest extends RoundTripProperties {

  private static final List<String> TABLES = new CopyOnWriteArrayList<>();

  @Override
  protected Engine createEngine() {
    return MariaDbStores.open(TABLES);
  }

  @AfterContainer
  static void drop() throws Exception {
    MariaDbStores.drop(TABLES);
  }
}
