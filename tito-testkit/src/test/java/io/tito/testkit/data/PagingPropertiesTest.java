package io.tito.testkit.data;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;
import net.jqwik.api.PropertyDefaults;

/** The paging properties on the memory engine, 20,000 random data sets, queries and page sizes. */
@PropertyDefaults(tries = 20_000)
class PagingPropertiesTest extends PagingProperties {
  @Override
  protected Engine createEngine() {
    return new MemoryEngine();
  }
}
