package io.tito.spi;

import java.util.Map;

/**
 * Opens engines by name; found through {@link java.util.ServiceLoader}. An engine module registers
 * its provider in {@code META-INF/services/io.tito.spi.EngineProvider}.
 */
public interface EngineProvider {

  /** The name users pass to {@code Engines.open}, e.g. {@code rocksdb}. */
  String name();

  /**
   * Opens an engine from string settings (e.g. {@code path}, {@code durability}); every setting
   * the provider does not know is an error.
   *
   * @throws io.tito.InvalidArgumentException for unknown or malformed settings
   * @throws io.tito.StorageException if the store cannot be opened
   */
  Engine open(Map<String, String> settings);
}
