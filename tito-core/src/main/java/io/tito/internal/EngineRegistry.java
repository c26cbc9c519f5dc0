package io.tito.internal;

import io.tito.InvalidArgumentException;
import io.tito.spi.Engine;
import io.tito.spi.EngineProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds engine providers on the class path through {@link ServiceLoader}. */
public final class EngineRegistry {

  private EngineRegistry() {}

  /** Every provider found, by name. */
  public static Map<String, EngineProvider> providers() {
    Map<String, EngineProvider> out = new TreeMap<>();
    for (EngineProvider p : ServiceLoader.load(EngineProvider.class, EngineRegistry.class.getClassLoader())) {
      out.putIfAbsent(p.name(), p);
    }
    return out;
  }

  /** Opens the engine named {@code name} with {@code settings}. */
  public static Engine open(String name, Map<String, String> settings) {
    Map<String, EngineProvider> all = providers();
    EngineProvider p = all.get(name);
    if (p == null) {
      throw new InvalidArgumentException("no engine of that name on the class path",
          Map.of("engine", String.valueOf(name), "available", all.keySet()));
    }
    return p.open(settings == null ? Map.of() : settings);
  }
}
