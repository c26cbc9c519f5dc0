package io.tito.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.tito.Tito;
import io.tito.pubsub.Topics;
import io.tito.spring.autoconfigure.TitoAutoConfiguration;
import io.tito.spring.autoconfigure.TitoHealthCheck;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** The starter on PostgreSQL through the application's DataSource (tito.data-source.enabled). */
class TitoPostgresTest {

  private HikariDataSource dataSource;
  private String schema;

  @BeforeEach
  void openPool() {
    dataSource = Postgres.dataSource();
    schema = Postgres.freshSchema();
  }

  @AfterEach
  void dropSchema() {
    Postgres.execute(dataSource, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    dataSource.close();
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TitoAutoConfiguration.class))
        // not closed by the context, so the test can look at the pool and drop the schema after
        .withBean(DataSource.class, () -> new DelegatingDataSource(dataSource))
        .withPropertyValues("tito.data-source.enabled=true", "tito.data-source.schema=" + schema,
            "tito.data-source.table=store", "tito.topics.orders.partitions=4");
  }

  @Test
  void startsOnTheApplicationsDataSourceAndDeliversToAListener() {
    runner().withBean(Listeners.Recording.class).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      Tito tito = ctx.getBean(Tito.class);
      assertThat(tito.engine().name()).isEqualTo("postgresql");
      TitoAutoConfigurationTest.publish(ctx.getBean(Topics.class), "k1", "on-postgres");
      Listeners.Recording rec = ctx.getBean(Listeners.Recording.class);
      Await.until("event received", () -> rec.received.contains("on-postgres"));
    });
    // the engine never closes a caller-owned DataSource: the pool still serves
    Postgres.execute(dataSource, "SELECT 1");
  }

  @Test
  void healthGoesDownWhenTheStoreIsClosed() {
    runner().run(ctx -> {
      TitoHealthCheck check = ctx.getBean(TitoHealthCheck.class);
      assertThat(check.check().up()).isTrue();
      assertThat(check.check().details()).containsEntry("engine", "postgresql");
      ctx.getBean(Tito.class).close();
      assertThat(check.check().up()).isFalse();
    });
  }

  @Test
  void aTableNameTheEngineRefusesFailsTheStart() {
    runner().withPropertyValues("tito.data-source.table=Bad-Name").run(ctx -> {
      assertThat(ctx).hasFailed();
      StringBuilder messages = new StringBuilder();
      for (Throwable t = ctx.getStartupFailure(); t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append('\n');
      }
      assertThat(messages.toString()).contains("tito.data-source", "table");
    });
  }
}
