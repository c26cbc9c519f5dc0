package io.tito.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.ModelStore;
import io.tito.pubsub.Message;
import io.tito.pubsub.PartitionLag;
import io.tito.pubsub.Topics;
import io.tito.spring.autoconfigure.TitoAutoConfiguration;
import io.tito.spring.autoconfigure.TitoHealthCheck;
import io.tito.spring.autoconfigure.TitoListenerContainer;
import io.tito.tuple.Subspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/** The starter on the embedded RocksDB engine, through Spring Boot's ApplicationContextRunner. */
class TitoAutoConfigurationTest {

  @TempDir Path dir;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TitoAutoConfiguration.class))
        .withPropertyValues("tito.url=rocksdb:" + dir.resolve("store"),
            "tito.topics.orders.partitions=4",
            "tito.subscription.initial-backoff=10ms", "tito.subscription.max-backoff=20ms");
  }

  static void publish(Topics topics, String key, String payload) {
    topics.publish("orders", Message.of(key, payload.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void startsWithTheStoreItsDataStoreAndTopicsAndCreatesDeclaredTopics() {
    runner().run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(Tito.class).hasSingleBean(DataStore.class)
          .hasSingleBean(Topics.class).hasSingleBean(TitoHealthCheck.class)
          .hasBean("titoHealthIndicator");
      Tito tito = ctx.getBean(Tito.class);
      assertThat(tito.engine().name()).isEqualTo("rocksdb");
      assertThat(ctx.getBean(DataStore.class).tito()).isSameAs(tito);
      assertThat(ctx.getBean(Topics.class).topic("orders").partitions()).isEqualTo(4);
    });
  }

  @Test
  void customizersShapeTheStoreAndItsDataStore() {
    Subspace root = Subspace.of("app", 7);
    runner().withBean(TitoBuilderCustomizer.class, () -> b -> b.root(root))
        .withBean(DataStoreCustomizer.class, () -> d -> d.model(TitoSpringTransactionTest.ORDERS))
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBean(Tito.class).root()).isEqualTo(root);
          ModelStore<Order> orders = ctx.getBean(DataStore.class)
              .store(TitoSpringTransactionTest.ORDERS);
          orders.insert(new Order("o1", 5));
          assertThat(orders.findById("o1")).isPresent();
        });
  }

  @Test
  void listenersStayStoppedWithoutAutoStartupUntilStarted() {
    runner().withPropertyValues("tito.listeners.auto-startup=false")
        .withBean(Listeners.Recording.class).run(ctx -> {
          TitoListenerContainer container = ctx.getBean(TitoListenerContainer.class);
          assertThat(container.isRunning()).isFalse();
          assertThat(container.runningSubscriptions()).isZero();
          publish(ctx.getBean(Topics.class), "k", "later");
          container.start();
          Listeners.Recording rec = ctx.getBean(Listeners.Recording.class);
          Await.until("event received once started", () -> rec.received.contains("later"));
          container.stop();
          assertThat(container.runningSubscriptions()).isZero();
        });
  }

  @Test
  void listenerReceivesPublishedEvents() {
    runner().withBean(Listeners.Recording.class).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      Topics topics = ctx.getBean(Topics.class);
      for (int i = 0; i < 5; i++) {
        publish(topics, "k" + i, "order-" + i);
      }
      Listeners.Recording rec = ctx.getBean(Listeners.Recording.class);
      Await.until("5 events received", () -> rec.received.size() >= 5);
      assertThat(rec.received).containsExactlyInAnyOrder("order-0", "order-1", "order-2",
          "order-3", "order-4");
      assertThat(ctx.getBean(TitoListenerContainer.class).runningSubscriptions()).isEqualTo(1);
    });
  }

  @Test
  void transactionalListenerWritesInTheCheckpointTransaction() {
    runner().withBean(Listeners.Transactional.class).run(ctx -> {
      publish(ctx.getBean(Topics.class), "a1", "audited");
      Tito tito = ctx.getBean(Tito.class);
      byte[] key = Listeners.Transactional.auditKey("a1");
      Await.until("audit record written", () -> tito.read(tx -> tx.get(key)) != null);
      assertThat(new String(tito.read(tx -> tx.get(key)), StandardCharsets.UTF_8))
          .isEqualTo("audited");
    });
  }

  @Test
  void healthGoesDownWhenTheStoreIsClosed() {
    runner().run(ctx -> {
      TitoHealthCheck check = ctx.getBean(TitoHealthCheck.class);
      assertThat(check.check().up()).isTrue();
      assertThat(check.check().details()).containsEntry("engine", "rocksdb");
      ctx.getBean(Tito.class).close();
      TitoHealthCheck.Result down = check.check();
      assertThat(down.up()).isFalse();
      assertThat(down.details().get("error").toString()).contains("ClosedException");
    });
  }

  @Test
  void healthIndicatorOfTheRunningSpringBootLineGoesDownWhenTheStoreIsClosed() {
    runner().run(ctx -> {
      Object indicator = ctx.getBean("titoHealthIndicator");
      assertThat(indicator.getClass().getInterfaces()[0].getName()).isEqualTo(
          SpringBootLine.healthIndicatorInterface());
      assertThat(SpringBootLine.status(indicator)).isEqualTo("UP");
      ctx.getBean(Tito.class).close();
      assertThat(SpringBootLine.status(indicator)).isEqualTo("DOWN");
    });
  }

  @Test
  void metricsCountHandledRetriedAndDeadLetteredEventsAndPublishedAndLag() {
    runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(Listeners.Recording.class).withBean(Listeners.Failing.class).run(ctx -> {
          assertThat(ctx).hasNotFailed();
          Topics topics = ctx.getBean(Topics.class);
          publish(topics, "a", "one");
          publish(topics, "b", "two");
          MeterRegistry meters = ctx.getBean(MeterRegistry.class);
          Await.until("both events dead-lettered by 'failing'",
              () -> counter(meters, "tito.listener.dead.lettered", "failing") == 2);
          Await.until("both events handled by 'billing'",
              () -> counter(meters, "tito.listener.handled", "billing") == 2);
          assertThat(counter(meters, "tito.listener.retried", "failing")).isEqualTo(2);
          assertThat(counter(meters, "tito.listener.handled", "failing")).isZero();
          Await.until("both dead letters stored",
              () -> topics.deadLetters("orders", "failing", 10).size() == 2);
          assertThat(ctx.getBean(Listeners.Failing.class).calls.get()).isEqualTo(4);
          assertThat(meters.get("tito.topic.published").tag("topic", "orders").functionCounter()
              .count()).isEqualTo(2);
          Await.until("billing's lag back to 0", () -> meters.get("tito.listener.lag")
              .tags("topic", "orders", "group", "billing").gauge().value() == 0);
        });
  }

  private static double counter(MeterRegistry meters, String name, String group) {
    var c = meters.find(name).tags("topic", "orders", "group", group).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void closingTheContextLetsAnInFlightHandlerFinishAndCommit() throws Exception {
    AtomicReference<Listeners.Blocking> listener = new AtomicReference<>();
    AtomicReference<Thread> closer = new AtomicReference<>();
    runner().withBean(Listeners.Blocking.class).run(ctx -> {
      Listeners.Blocking blocking = ctx.getBean(Listeners.Blocking.class);
      listener.set(blocking);
      publish(ctx.getBean(Topics.class), "k", "slow");
      Await.until("handler entered", () -> blocking.entered.getCount() == 0);
      Thread t = new Thread(((ConfigurableApplicationContext) ctx.getSourceApplicationContext())::close);
      closer.set(t);
      t.start();
      Await.until("the closing thread waits (for the in-flight handler)",
          () -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
      assertThat(blocking.finished.get()).isZero();
      blocking.release.countDown();
      t.join();
    });
    assertThat(closer.get().isAlive()).isFalse();
    assertThat(listener.get().finished.get()).isEqualTo(1);
    try (Tito reopened = Tito.open("rocksdb:" + dir.resolve("store"))) {
      List<PartitionLag> lag = reopened.topics().lag("orders", "slow");
      assertThat(lag.stream().mapToLong(PartitionLag::lag).sum()).isZero();
    }
  }
}
