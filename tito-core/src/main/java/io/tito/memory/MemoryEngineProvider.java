package io.tito.memory;

import io.tito.spi.EngineLimits;
import io.tito.spi.Engine;
import io.tito.spi.EngineProvider;
import io.tito.spi.EngineSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Provides {@link MemoryEngine} under the name {@code memory}. One optional setting:
 * {@code maxTransactionAgeMillis} (1 to 86400000, default 300000: see
 * {@link MemoryEngine#maxTransactionAge()}).
 */
public final class MemoryEngineProvider implements EngineProvider {

  private static final Set<String> SETTINGS = Set.of("maxTransactionAgeMillis");

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Engine open(Map<String, String> settings) {
    EngineSettings s = EngineSettings.of("memory", settings, SETTINGS);
    if (!s.has("maxTransactionAgeMillis")) {
      return new MemoryEngine();
    }
    return new MemoryEngine(EngineLimits.DEFAULT,
        Duration.ofMillis(s.getLong("maxTransactionAgeMillis", 0)));
  }
}
