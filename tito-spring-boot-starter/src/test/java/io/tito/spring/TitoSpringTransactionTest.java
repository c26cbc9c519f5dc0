package io.tito.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.pubsub.Message;
import io.tito.pubsub.Topics;
import io.tito.spring.autoconfigure.TitoAutoConfiguration;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a Spring transaction on the same DataSource means for Tito (see the module README,
 * "Transactions"): a Tito write is never part of it, and the supported pattern, data and event
 * in one Tito transaction, is atomic.
 */
class TitoSpringTransactionTest {

  static final Model<Order> ORDERS = Model.builder(Order.class, "orders").id(Order::id).build();

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

  private ApplicationContextRunner base() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TitoAutoConfiguration.class))
        .withBean("orderModel", Model.class, () -> ORDERS)
        .withPropertyValues("tito.data-source.enabled=true", "tito.data-source.schema=" + schema,
            "tito.topics.orders.partitions=2");
  }

  private ApplicationContextRunner runner() {
    return base().withBean(DataSource.class, () -> new DelegatingDataSource(dataSource));
  }

  private static long published(Topics topics) {
    return topics.head("orders", 0) + topics.head("orders", 1);
  }

  @Test
  void aPublishInsideASpringTransactionIsNotRolledBackWithIt() {
    runner().run(ctx -> {
      Topics topics = ctx.getBean(Topics.class);
      JdbcTemplate jdbc = new JdbcTemplate(dataSource);
      jdbc.execute("CREATE TABLE " + schema + ".app_orders (id text primary key)");
      TransactionTemplate spring = new TransactionTemplate(
          new DataSourceTransactionManager(dataSource));
      spring.executeWithoutResult(status -> {
        jdbc.update("INSERT INTO " + schema + ".app_orders VALUES ('o1')");
        topics.publish("orders", Message.of("o1", "created".getBytes(StandardCharsets.UTF_8)));
        status.setRollbackOnly();
      });
      assertThat(jdbc.queryForObject("SELECT count(*) FROM " + schema + ".app_orders",
          Long.class)).isZero();
      // Tito committed in its own database transaction: the event outlived the rollback.
      assertThat(published(topics)).isEqualTo(1);
    });
  }

  @Test
  void aTransactionAwareProxyIsLookedThroughSoTitoNeverUsesTheSpringBoundConnection() {
    DataSource target = new DelegatingDataSource(dataSource);
    base().withBean(DataSource.class, () -> new TransactionAwareDataSourceProxy(target))
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          Topics topics = ctx.getBean(Topics.class);
          TransactionTemplate spring = new TransactionTemplate(
              new DataSourceTransactionManager(target));
          spring.executeWithoutResult(status -> {
            new JdbcTemplate(target).queryForObject("SELECT 1", Integer.class);
            topics.publish("orders", Message.of("o1", "created".getBytes(StandardCharsets.UTF_8)));
            status.setRollbackOnly();
          });
          assertThat(published(topics)).isEqualTo(1);
        });
  }

  @Test
  void dataAndEventInOneTitoTransactionCommitOrRollBackTogether() {
    runner().withBean(Listeners.Recording.class).run(ctx -> {
      Tito tito = ctx.getBean(Tito.class);
      Topics topics = ctx.getBean(Topics.class);
      ModelStore<Order> orders = ctx.getBean(DataStore.class).store(ORDERS);

      assertThatThrownBy(() -> tito.inTransaction(tx -> {
        orders.insert(tx, new Order("o1", 100));
        topics.publish(tx, "orders", Message.of("o1", "o1 placed".getBytes(StandardCharsets.UTF_8)));
        throw new IllegalStateException("payment refused");
      })).hasMessageContaining("payment refused");
      assertThat(orders.findById("o1")).isEmpty();
      assertThat(published(topics)).isZero();

      tito.inTransaction(tx -> {
        orders.insert(tx, new Order("o2", 250));
        topics.publish(tx, "orders", Message.of("o2", "o2 placed".getBytes(StandardCharsets.UTF_8)));
      });
      assertThat(orders.findById("o2")).isPresent();
      Listeners.Recording rec = ctx.getBean(Listeners.Recording.class);
      Await.until("o2's event delivered", () -> rec.received.contains("o2 placed"));
      assertThat(rec.received).containsExactly("o2 placed");
    });
  }
}
