package io.tito.spi;

import io.tito.InvalidArgumentException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens engines by name; found through {@link java.util.ServiceLoader}. An engine module registers
 * its provider in {@code META-INF/services/io.tito.spi.EngineProvider}.
 */
public interface EngineProvider {

  /**
   * The name users pass to {@code Tito.builder().engine(name, settings)}, e.g. {@code rocksdb};
   * also the URL scheme of {@code Tito.open(url)} unless {@link #opens} says otherwise.
   */
  String name();

  /**
   * Opens an engine from string settings (e.g. {@code path}, {@code durability}); every setting
   * the provider does not know is an error.
   *
   * @throws io.tito.InvalidArgumentException for unknown or malformed settings
   * @throws io.tito.StorageException if the store cannot be opened
   */
  Engine open(Map<String, String> settings);

  /**
   * Whether this provider opens {@code url} (see {@code Tito.open(String)}). Default: the URL
   * starts with {@link #name()} followed by {@code ':'}.
   */
  default boolean opens(String url) {
    return url.startsWith(name() + ":");
  }

  /**
   * Opens an engine from a URL this provider {@linkplain #opens opens}. Default: {@code
   * name:[path][?key=value&...]} becomes the settings {@code path} (when not empty) and each
   * percent-decoded query parameter, passed to {@link #open(Map)}.
   *
   * @throws io.tito.InvalidArgumentException for malformed URLs, unknown or malformed settings
   * @throws io.tito.StorageException if the store cannot be opened
   */
  default Engine openUrl(String url) {
    String rest = url.substring(url.indexOf(':') + 1);
    int q = rest.indexOf('?');
    String path = q < 0 ? rest : rest.substring(0, q);
    Map<String, String> settings = new LinkedHashMap<>();
    if (!path.isEmpty()) {
      settings.put("path", decode(path));
    }
    if (q >= 0) {
      settings.putAll(queryParameters(rest.substring(q + 1)));
    }
    return open(settings);
  }

  /**
   * The percent-decoded {@code key=value} pairs of a URL query ({@code a=1&b=2}), in order.
   *
   * @throws io.tito.InvalidArgumentException for a pair without {@code '='} or a repeated key
   */
  static Map<String, String> queryParameters(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1))) != null) {
        throw new InvalidArgumentException("malformed engine URL parameter",
            Map.of("parameter", pair));
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("malformed engine URL", Map.of("part", s), e);
    }
  }
}
