package io.tito.spring.autoconfigure;

import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.spi.Engine;
import io.tito.spring.TitoProperties;
import javax.sql.DataSource;

/** Opens the JDBC engine on the application's DataSource; loaded only when tito-jdbc is present. */
final class DataSourceEngines {

  private DataSourceEngines() {}

  /** The engine on {@code dataSource}, which it never closes. */
  static Engine open(DataSource dataSource, TitoProperties.DataSourceEngine settings) {
    JdbcEngineOptions.Builder b = JdbcEngineOptions.builder().dataSource(dataSource)
        .table(settings.getTable());
    if (settings.getSchema() != null) {
      b.schema(settings.getSchema());
    }
    return JdbcEngine.open(b.build());
  }
}
