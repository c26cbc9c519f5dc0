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

  /** Opens the engine described by {@code url}: the first provider that {@linkplain EngineProvider#opens opens} it. */
  public static Engine openUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new InvalidArgumentException("engine URL must not be empty", Map.of());
    }
    Map<String, EngineProvider> all = providers();
    for (EngineProvider p : all.values()) {
      if (p.opens(url)) {
        return p.openUrl(url);
      }
    }
    int colon = url.indexOf(':');
    throw new InvalidArgumentException("no engine on the class or module path opens that URL",
        Map.of("scheme", colon < 0 ? url : url.substring(0, colon), "available", all.keySet()));
  }
}
