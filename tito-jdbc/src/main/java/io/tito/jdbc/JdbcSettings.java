package io.tito.jdbc;

import io.tito.InvalidArgumentException;
import io.tito.spi.EngineLimits;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@link JdbcEngineOptions} from the string settings of {@code Engines.open}. Keys:
 * {@code url} (required), {@code user}, {@code password}, {@code schema}, {@code table},
 * {@code poolSize}, {@code systemPoolSize}, {@code pageSize}, {@code connectionTimeoutMillis}, {@code maxKeySize},
 * {@code maxValueSize}, {@code maxTransactionSize}, {@code maxTransactionAgeMillis},
 * {@code gcIntervalMillis}, {@code migrate}, {@code notifications}. Unknown keys are errors.
 */
final class JdbcSettings {

  static final Set<String> KEYS = Set.of("url", "user", "password", "schema", "table", "poolSize",
      "systemPoolSize", "pageSize", "connectionTimeoutMillis", "maxKeySize", "maxValueSize", "maxTransactionSize",
      "maxTransactionAgeMillis", "gcIntervalMillis", "migrate", "notifications");

  private JdbcSettings() {}

  static JdbcEngineOptions parse(SqlDialect expected, Map<String, String> settings) {
    Set<String> unknown = new TreeSet<>(settings.keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new InvalidArgumentException("unknown engine settings",
          Map.of("unknown", unknown, "known", new TreeSet<>(KEYS)));
    }
    Map<String, String> s = new HashMap<>(settings);
    String url = s.get("url");
    if (url == null) {
      throw new InvalidArgumentException("setting url is required", Map.of("engine", expected.engineName()));
    }
    if (SqlDialect.fromJdbcUrl(url) != expected) {
      throw new InvalidArgumentException("the JDBC URL is for another database than the engine",
          Map.of("engine", expected.engineName()));
    }
    JdbcEngineOptions.Builder b = JdbcEngineOptions.builder().jdbcUrl(url).dialect(expected)
        .user(s.get("user")).password(s.get("password")).schema(s.get("schema"));
    if (s.containsKey("table")) {
      b.table(s.get("table"));
    }
    if (s.containsKey("poolSize")) {
      b.poolSize(intValue(s, "poolSize"));
    }
    if (s.containsKey("systemPoolSize")) {
      b.systemPoolSize(intValue(s, "systemPoolSize"));
    }
    if (s.containsKey("pageSize")) {
      b.pageSize(intValue(s, "pageSize"));
    }
    if (s.containsKey("connectionTimeoutMillis")) {
      b.connectionTimeout(Duration.ofMillis(longValue(s, "connectionTimeoutMillis")));
    }
    if (s.containsKey("maxTransactionAgeMillis")) {
      b.maxTransactionAge(Duration.ofMillis(longValue(s, "maxTransactionAgeMillis")));
    }
    if (s.containsKey("gcIntervalMillis")) {
      b.gcInterval(Duration.ofMillis(longValue(s, "gcIntervalMillis")));
    }
    if (s.containsKey("migrate")) {
      b.migrate(booleanValue(s, "migrate"));
    }
    if (s.containsKey("notifications")) {
      b.notifications(booleanValue(s, "notifications"));
    }
    if (s.containsKey("maxKeySize") || s.containsKey("maxValueSize") || s.containsKey("maxTransactionSize")) {
      Dialect d = expected.dialect();
      b.limits(new EngineLimits(
          s.containsKey("maxKeySize") ? intValue(s, "maxKeySize") : d.defaultMaxKeySize(),
          s.containsKey("maxValueSize") ? intValue(s, "maxValueSize") : 1024 * 1024,
          s.containsKey("maxTransactionSize") ? longValue(s, "maxTransactionSize") : 10L * 1024 * 1024));
    }
    return b.build();
  }

  /**
   * Settings from a JDBC URL for {@code Tito.open(url)}: query parameters that are engine settings
   * (every key but {@code url}) are taken out; the rest of the URL, driver parameters included,
   * becomes the {@code url} setting.
   */
  static Map<String, String> fromUrl(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    if (q < 0) {
      settings.put("url", jdbcUrl);
      return settings;
    }
    StringBuilder driver = new StringBuilder();
    for (String pair : jdbcUrl.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (!key.equals("url") && KEYS.contains(key)) {
        settings.putAll(io.tito.spi.EngineProvider.queryParameters(pair));
      } else if (!pair.isEmpty()) {
        driver.append(driver.isEmpty() ? "?" : "&").append(pair);
      }
    }
    settings.put("url", jdbcUrl.substring(0, q) + driver);
    return settings;
  }

  private static boolean booleanValue(Map<String, String> s, String key) {
    String v = s.get(key);
    if (!"true".equals(v) && !"false".equals(v)) {
      throw new InvalidArgumentException("setting must be true or false", Map.of("setting", key));
    }
    return Boolean.parseBoolean(v);
  }

  private static int intValue(Map<String, String> s, String key) {
    long v = longValue(s, key);
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw new InvalidArgumentException("setting is not a valid integer", Map.of("setting", key));
    }
    return (int) v;
  }

  private static long longValue(Map<String, String> s, String key) {
    try {
      return Long.parseLong(s.get(key).trim());
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("setting is not a valid integer", Map.of("setting", key), e);
    }
  }
}
