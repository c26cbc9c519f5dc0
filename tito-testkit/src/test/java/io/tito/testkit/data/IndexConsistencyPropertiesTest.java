package io.tito.testkit.data;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;
import net.jqwik.api.PropertyDefaults;

/** The index consistency properties on the memory engine, 10,000 random operation sequences. */
@PropertyDefaults(tries = 10_000)
class IndexConsistencyPropertiesTest extends IndexConsistencyProperties {
  @Override
  protected Engine createEngine() {
    return new MemoryEngine();
  }
}
