package io.tito.spring.autoconfigure;

import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.spi.Engine;
import io.tito.spring.TitoProperties;
import javax.sql.DataSource;
import org.springframework.util.ClassUtils;

/** Opens the JDBC engine on the application's DataSource; loaded only when tito-jdbc is present. */
final class DataSourceEngines {

  private DataSourceEngines() {}

  private static final String SPRING_JDBC =
      "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy";

  /**
   * The engine on {@code dataSource}, which it never closes. A Spring {@code
   * TransactionAwareDataSourceProxy} is looked through: the engine takes its connections from the
   * target, never the one bound to a running Spring transaction.
   */
  static Engine open(DataSource dataSource, TitoProperties.DataSourceEngine settings) {
    DataSource own = ClassUtils.isPresent(SPRING_JDBC, DataSourceEngines.class.getClassLoader())
        ? SpringBoundDataSources.unwrap(dataSource) : dataSource;
    JdbcEngineOptions.Builder b = JdbcEngineOptions.builder().dataSource(own)
        .table(settings.getTable());
    if (settings.getSchema() != null) {
      b.schema(settings.getSchema());
    }
    return JdbcEngine.open(b.build());
  }
}
