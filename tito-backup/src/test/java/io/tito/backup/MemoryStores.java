package io.tito.backup;

import io.tito.memory.MemoryEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's memory stores: one source to back up and any number of restore targets, all closed
 * after each test. Register it as a field: {@code @RegisterExtension final MemoryStores stores =
 * new MemoryStores();}.
 */
final class MemoryStores implements AfterEachCallback {

  private final MemoryEngine source = new MemoryEngine();
  private final List<MemoryEngine> targets = new ArrayList<>();

  /** The store the test backs up. */
  MemoryEngine source() {
    return source;
  }

  /** A new, empty store to restore into. */
  MemoryEngine target() {
    MemoryEngine t = new MemoryEngine();
    targets.add(t);
    return t;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    source.close();
    targets.forEach(MemoryEngine::close);
  }
}
