package io.tito.testkit.docs;

import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;

/** The document-store acceptance kit on the memory engine. */
class MemoryDocumentAcceptanceTest extends DocumentAcceptanceTest {
  @Override
  protected Engine createEngine() {
    return new MemoryEngine();
  }
}
