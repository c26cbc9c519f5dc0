package io.tito.memory;

import io.tito.InvalidArgumentException;
import io.tito.spi.Engine;
import io.tito.spi.EngineProvider;
import java.util.Map;

/** Provides {@link MemoryEngine} under the name {@code memory}; it takes no settings. */
public final class MemoryEngineProvider implements EngineProvider {

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Engine open(Map<String, String> settings) {
    if (!settings.isEmpty()) {
      throw new InvalidArgumentException("the memory engine takes no settings",
          Map.of("settings", settings.keySet()));
    }
    return new MemoryEngine();
  }
}
