package io.tito.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.pubsub.Topics;
import io.tito.spring.DataStoreCustomizer;
import io.tito.spring.TitoBuilderCustomizer;
import io.tito.spring.TitoProperties;
import io.tito.spring.internal.ListenerObserver;
import io.tito.spring.internal.TitoHealthIndicator;
import io.tito.spring.internal.TitoLegacyHealthIndicator;
import io.tito.spring.internal.TitoMetrics;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of Tito for Spring Boot 4.0 and 3.5: the {@link Tito} store (closed with the
 * context), its {@link DataStore} and {@link Topics}, the {@code @TitoListener} container, a health
 * indicator named {@code tito} when Spring Boot's health support is present, and Micrometer meters
 * when Micrometer is. Runs after the DataSource auto-configuration of either line. {@code
 * tito.enabled=false} turns all of it off.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnClass(Tito.class)
@ConditionalOnProperty(prefix = "tito", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TitoProperties.class)
public class TitoAutoConfiguration {

  /** Creates the auto-configuration (instantiated by Spring). */
  public TitoAutoConfiguration() {}

  /** Finds {@code @TitoListener} methods; static, as every bean post-processor. */
  @Bean
  static TitoListenerCollector titoListenerCollector() {
    return new TitoListenerCollector();
  }

  /**
   * The store: on {@code tito.url}, or with {@code tito.data-source.enabled} the JDBC engine on the
   * application's DataSource; with the {@code Model} beans registered in its DataStore and the
   * topics of {@code tito.topics} created. Closed when the context closes.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Tito tito(TitoProperties properties, ObjectProvider<DataSource> dataSource,
      ObjectProvider<Model<?>> models, ObjectProvider<DataStoreCustomizer> dataStoreCustomizers,
      ObjectProvider<TitoBuilderCustomizer> customizers) {
    return TitoStoreFactory.open(properties,
        properties.getDataSource().isEnabled() ? dataSource.getIfUnique() : null,
        models.orderedStream().toList(), dataStoreCustomizers.orderedStream().toList(),
        customizers.orderedStream().toList());
  }

  /** The store's data layer. */
  @Bean
  @ConditionalOnMissingBean
  DataStore titoDataStore(Tito tito) {
    return tito.module(DataStore.class);
  }

  /** The store's topics. */
  @Bean
  @ConditionalOnMissingBean
  Topics titoTopics(Tito tito) {
    return tito.topics();
  }

  /** Starts and stops the {@code @TitoListener} methods with the context. */
  @Bean
  TitoListenerContainer titoListenerContainer(Tito tito, TitoListenerCollector collector,
      TitoProperties properties, ObjectProvider<ListenerObserver> metrics) {
    ListenerObserver observer = metrics.getIfAvailable();
    return new TitoListenerContainer(tito, collector, properties,
        observer != null ? observer : ListenerObserver.NONE);
  }

  /** The check behind the health indicators. */
  @Bean
  @ConditionalOnMissingBean
  TitoHealthCheck titoHealthCheck(Tito tito) {
    return new TitoHealthCheck(tito);
  }

  /** Health for Spring Boot 4 ({@code spring-boot-health} on the class path). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot4Health {
    @Bean
    @ConditionalOnMissingBean(name = "titoHealthIndicator")
    TitoHealthIndicator titoHealthIndicator(TitoHealthCheck check) {
      return new TitoHealthIndicator(check);
    }
  }

  /** Health for Spring Boot 3.5 (actuator's health package, without Boot 4's). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot3Health {
    @Bean
    @ConditionalOnMissingBean(name = "titoHealthIndicator")
    TitoLegacyHealthIndicator titoHealthIndicator(TitoHealthCheck check) {
      return new TitoLegacyHealthIndicator(check);
    }
  }

  /** Meters, when Micrometer is on the class path (registered once a MeterRegistry bean exists). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    TitoMetrics titoMetrics(Tito tito, TitoProperties properties,
        ObjectProvider<MeterRegistry> registry) {
      return new TitoMetrics(tito, registry, properties.getTopics().keySet());
    }
  }
}
