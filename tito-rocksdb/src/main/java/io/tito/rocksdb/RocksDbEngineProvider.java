package io.tito.rocksdb;

import io.tito.InvalidArgumentException;
import io.tito.spi.Engine;
import io.tito.spi.EngineProvider;
import io.tito.spi.EngineSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@link RocksDbEngine}s by the name {@value #NAME}, found through
 * {@link java.util.ServiceLoader}. Settings (strings):
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Name</th><th>Values</th><th>Default</th></tr>
 *   <tr><td>{@code path}</td><td>directory of the store</td><td>required</td></tr>
 *   <tr><td>{@code durability}</td><td>{@code sync}, {@code group}, {@code periodic}, {@code none}
 *       (see {@link Durability})</td><td>{@code group}</td></tr>
 *   <tr><td>{@code syncIntervalMillis}</td><td>1 to 3600000, used by {@code periodic}</td>
 *       <td>{@code 1000}</td></tr>
 *   <tr><td>{@code blockCacheBytes}</td><td>0 (none) or more</td><td>a sixteenth of the memory,
 *       64 MiB to 1 GiB (see {@link RocksDbOptions#DEFAULT_BLOCK_CACHE_BYTES})</td></tr>
 *   <tr><td>{@code createIfMissing}</td><td>{@code true}, {@code false}</td><td>{@code true}</td></tr>
 *   <tr><td>{@code warmCache}</td><td>{@code true}, {@code false}: read the tables into the block
 *       cache after open and compaction when they fit in half of it (see
 *       {@link RocksDbOptions#warmCache()})</td><td>{@code true}</td></tr>
 *   <tr><td>{@code maxTransactionAgeMillis}</td><td>1 to 86400000: read-write transactions older
 *       than this fail (see {@link RocksDbOptions#maxTransactionAge()})</td><td>{@code 300000}</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe.
 */
public final class RocksDbEngineProvider implements EngineProvider {

  /** {@code rocksdb}. */
  public static final String NAME = "rocksdb";

  /** Every setting this provider knows. */
  static final Set<String> SETTINGS =
      Set.of("path", "durability", "syncIntervalMillis", "blockCacheBytes", "createIfMissing",
          "maxTransactionAgeMillis", "warmCache");

  /** For {@link java.util.ServiceLoader}. */
  public RocksDbEngineProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Opens the store described by {@code settings}.
   *
   * @throws InvalidArgumentException for unknown, missing or malformed settings (the message
   *     context lists the known ones)
   * @throws io.tito.StorageException if the store cannot be opened
   */
  @Override
  public Engine open(Map<String, String> settings) {
    return RocksDbEngine.open(toOptions(settings));
  }

  /** Parses and validates {@code settings} without opening anything. */
  static RocksDbOptions toOptions(Map<String, String> settings) {
    EngineSettings s = EngineSettings.of(NAME, settings, SETTINGS);
    String path = s.required("path");
    RocksDbOptions.Builder b;
    try {
      b = RocksDbOptions.builder(Path.of(path.trim()));
    } catch (InvalidPathException e) {
      throw s.malformed("path", "a file system path", e);
    }
    if (s.has("durability")) {
      b.durability(parseDurability(s));
    }
    if (s.has("syncIntervalMillis")) {
      b.syncInterval(Duration.ofMillis(s.getLong("syncIntervalMillis", 0)));
    }
    if (s.has("blockCacheBytes")) {
      b.blockCacheBytes(s.getLong("blockCacheBytes", 0));
    }
    if (s.has("createIfMissing")) {
      b.createIfMissing(s.getBoolean("createIfMissing", true));
    }
    if (s.has("warmCache")) {
      b.warmCache(s.getBoolean("warmCache", RocksDbOptions.DEFAULT_WARM_CACHE));
    }
    if (s.has("maxTransactionAgeMillis")) {
      b.maxTransactionAge(Duration.ofMillis(s.getLong("maxTransactionAgeMillis", 0)));
    }
    return b.build();
  }

  private static Durability parseDurability(EngineSettings s) {
    return switch (s.get("durability").trim().toLowerCase(Locale.ROOT)) {
      case "sync" -> Durability.SYNC;
      case "group" -> Durability.GROUP;
      case "periodic" -> Durability.PERIODIC;
      case "none" -> Durability.NONE;
      default -> throw s.malformed("durability", "sync|group|periodic|none", null);
    };
  }
}
