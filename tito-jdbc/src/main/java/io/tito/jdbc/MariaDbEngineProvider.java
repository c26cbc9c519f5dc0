package io.tito.jdbc;

import io.tito.spi.Engine;
import io.tito.spi.EngineProvider;
import java.util.Map;

/**
 * Opens {@link JdbcEngine}s on MariaDB or MySQL under the name {@code mariadb}; settings as listed
 * on {@link JdbcEngineOptions} with string values (see the module README). Thread-safe.
 */
public final class MariaDbEngineProvider implements EngineProvider {

  @Override
  public String name() {
    return "mariadb";
  }

  @Override
  public Engine open(Map<String, String> settings) {
    return JdbcEngine.open(JdbcSettings.parse(SqlDialect.MARIADB, settings));
  }

  /** JDBC URLs of this database, for {@code Tito.open(url)}. */
  @Override
  public boolean opens(String url) {
    return url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:");
  }

  /**
   * Opens from a JDBC URL: query parameters that are engine settings ({@code table}, {@code
   * poolSize}, {@code user}, ...) are taken out, the others stay in the URL for the driver.
   */
  @Override
  public Engine openUrl(String url) {
    return open(JdbcSettings.fromUrl(url));
  }
}
