package io.tito.memory;

import io.tito.InvalidArgumentException;
import io.tito.spi.EngineLimits;
import io.tito.spi.Engine;
import io.tito.spi.EngineProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    Set<String> unknown = new TreeSet<>(settings.keySet());
    unknown.removeAll(SETTINGS);
    if (!unknown.isEmpty()) {
      throw new InvalidArgumentException("unknown engine settings",
          Map.of("engine", "memory", "unknown", unknown, "known", SETTINGS));
    }
    String age = settings.get("maxTransactionAgeMillis");
    if (age == null) {
      return new MemoryEngine();
    }
    long millis;
    try {
      millis = Long.parseLong(age.trim());
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("malformed engine setting",
          Map.of("engine", "memory", "setting", "maxTransactionAgeMillis", "value", age, "expected", "an integer"), e);
    }
    return new MemoryEngine(EngineLimits.DEFAULT, Duration.ofMillis(millis));
  }
}
