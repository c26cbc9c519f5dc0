package io.tito.spring.autoconfigure;

import io.tito.Tito;
import io.tito.TitoException;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.pubsub.TopicConfig;
import io.tito.spi.Engine;
import io.tito.spring.DataStoreCustomizer;
import io.tito.spring.TitoBuilderCustomizer;
import io.tito.spring.TitoProperties;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.util.ClassUtils;

/**
 * Builds the {@link Tito} bean from the properties: engine, data store with the model beans,
 * customizers, then the declared topics. A failure closes what was opened and names the property.
 */
final class TitoStoreFactory {

  private static final String JDBC_ENGINE = "io.tito.jdbc.JdbcEngine";

  private TitoStoreFactory() {}

  static Tito open(TitoProperties properties, DataSource dataSource, List<Model<?>> models,
      List<DataStoreCustomizer> dataStoreCustomizers, List<TitoBuilderCustomizer> customizers) {
    properties.validate();
    DataStore.Builder data = DataStore.models(models.toArray(Model<?>[]::new));
    dataStoreCustomizers.forEach(c -> c.customize(data));
    Tito.Builder builder = Tito.builder().with(data);
    if (properties.getDataSource().isEnabled()) {
      builder.engine(openOnDataSource(properties, dataSource));
    } else {
      builder.url(properties.getUrl());
    }
    customizers.forEach(c -> c.customize(builder));
    Tito tito;
    try {
      tito = builder.build();
    } catch (TitoException e) {
      throw new IllegalStateException("cannot open the Tito store ("
          + (properties.getUrl() != null ? "tito.url=" + properties.getUrl()
              : "tito.data-source") + "): " + e.getMessage(), e);
    }
    try {
      createTopics(tito, properties.getTopics());
      return tito;
    } catch (RuntimeException e) {
      tito.close();
      throw e;
    }
  }

  private static Engine openOnDataSource(TitoProperties properties, DataSource dataSource) {
    if (!ClassUtils.isPresent(JDBC_ENGINE, TitoStoreFactory.class.getClassLoader())) {
      throw new IllegalStateException("tito.data-source.enabled=true needs the JDBC engine: add "
          + "io.tito:tito-jdbc to the application's dependencies");
    }
    if (dataSource == null) {
      throw new IllegalStateException("tito.data-source.enabled=true but the application has no "
          + "single DataSource bean");
    }
    try {
      return DataSourceEngines.open(dataSource, properties.getDataSource());
    } catch (TitoException e) {
      throw new IllegalStateException("cannot open the Tito JDBC engine on the application's "
          + "DataSource (tito.data-source.*): " + e.getMessage(), e);
    }
  }

  private static void createTopics(Tito tito, Map<String, TitoProperties.Topic> topics) {
    topics.forEach((name, t) -> {
      TopicConfig config = TopicConfig.DEFAULTS;
      if (t.getPartitions() != null) {
        config = config.withPartitions(t.getPartitions());
      }
      if (t.getRetention() != null) {
        config = config.withRetention(t.getRetention());
      }
      try {
        tito.topics().createTopic(name, config);
      } catch (TitoException e) {
        throw new IllegalStateException("tito.topics." + name + ": " + e.getMessage(), e);
      }
    });
  }
}
