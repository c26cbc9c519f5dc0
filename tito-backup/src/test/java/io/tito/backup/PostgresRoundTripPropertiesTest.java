package io.tito.backup;

import io.tito.spi.Engine;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterContainer;

@PropertyDefaults(tries = 15)
class PostgresRoundTripPropertiesTest extends RoundTripProperties {

  private static final List<String> TABLES = new ArrayList<>();

  @Override
  protected Engine createEngine() {
    return CrossEngineRestoreTest.postgres(TABLES);
  }

  @AfterContainer
  static void drop() throws Exception {
    CrossEngineRestoreTest.dropTables(TABLES);
  }
}
