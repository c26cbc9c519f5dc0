package io.tito.backup;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;
import net.jqwik.api.PropertyDefaults;

@PropertyDefaults(tries = 200)
class MemoryRoundTripPropertiesTest extends RoundTripProperties {
  @Override
  protected Engine createEngine() {
    return new MemoryEngine();
  }
}
