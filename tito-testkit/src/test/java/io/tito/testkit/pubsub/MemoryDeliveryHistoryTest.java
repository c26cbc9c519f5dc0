package io.tito.testkit.pubsub;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;

/** The delivery history test on the in-memory engine. */
class MemoryDeliveryHistoryTest extends DeliveryHistoryTest {

  @Override
  protected Engine createEngine() {
    return new MemoryEngine();
  }
}
