package io.tito.jdbc;

import io.tito.InvalidArgumentException;
import io.tito.spi.EngineLimits;
import io.tito.spi.EngineSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

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
    EngineSettings s = EngineSettings.of(expected.engineName(), settings, KEYS);
    String url = s.required("url");
    if (SqlDialect.fromJdbcUrl(url) != expected) {
      throw new InvalidArgumentException("the JDBC URL is for another database than the engine",
          Map.of("engine", expected.engineName()));
    }
    JdbcEngineOptions.Builder b = JdbcEngineOptions.builder().jdbcUrl(url).dialect(expected)
        .user(s.get("user")).password(s.get("password")).schema(s.get("schema"));
    if (s.has("table")) {
      b.table(s.get("table"));
    }
    if (s.has("poolSize")) {
      b.poolSize(s.getInt("poolSize", 0));
    }
    if (s.has("systemPoolSize")) {
      b.systemPoolSize(s.getInt("systemPoolSize", 0));
    }
    if (s.has("pageSize")) {
      b.pageSize(s.getInt("pageSize", 0));
    }
    if (s.has("connectionTimeoutMillis")) {
      b.connectionTimeout(Duration.ofMillis(s.getLong("connectionTimeoutMillis", 0)));
    }
    if (s.has("maxTransactionAgeMillis")) {
      b.maxTransactionAge(Duration.ofMillis(s.getLong("maxTransactionAgeMillis", 0)));
    }
    if (s.has("gcIntervalMillis")) {
      b.gcInterval(Duration.ofMillis(s.getLong("gcIntervalMillis", 0)));
    }
    if (s.has("migrate")) {
      b.migrate(s.getBoolean("migrate", true));
    }
    if (s.has("notifications")) {
      b.notifications(s.getBoolean("notifications", true));
    }
    if (s.has("maxKeySize") || s.has("maxValueSize") || s.has("maxTransactionSize")) {
      Dialect d = expected.dialect();
      b.limits(new EngineLimits(
          s.getInt("maxKeySize", d.defaultMaxKeySize()),
          s.getInt("maxValueSize", 1024 * 1024),
          s.getLong("maxTransactionSize", 10L * 1024 * 1024)));
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
}
