package io.tito.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.pubsub.TopicConfig;
import io.tito.spring.autoconfigure.TitoAutoConfiguration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;

/** Bad settings and declarations stop the context at start-up with a message naming the fault. */
class TitoStartupFailureTest {

  @TempDir Path dir;

  private final ApplicationContextRunner bare = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TitoAutoConfiguration.class));

  private ApplicationContextRunner onRocksDb() {
    return bare.withPropertyValues("tito.url=rocksdb:" + dir.resolve("store"),
        "tito.topics.orders.partitions=4");
  }

  private static ContextConsumer<AssertableApplicationContext> failsWith(String... fragments) {
    return ctx -> {
      assertThat(ctx).hasFailed();
      Throwable root = ctx.getStartupFailure();
      StringBuilder messages = new StringBuilder();
      for (Throwable t = root; t != null; t = t.getCause()) {
        messages.append(t.getMessage()).append('\n');
      }
      assertThat(messages.toString()).contains(fragments);
    };
  }

  @Test
  void noEngineConfigured() {
    bare.run(failsWith("no Tito engine configured", "tito.url", "tito.data-source.enabled"));
  }

  @Test
  void disabledStarterConfiguresNothingAndNeedsNoEngine() {
    bare.withPropertyValues("tito.enabled=false").withBean(Listeners.Recording.class)
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(Tito.class)
            .doesNotHaveBean("titoListenerContainer"));
  }

  @Test
  void bothEngineSources() {
    bare.withPropertyValues("tito.url=memory:", "tito.data-source.enabled=true")
        .run(failsWith("tito.url and tito.data-source.enabled=true are both set"));
  }

  @Test
  void unknownEngineUrl() {
    bare.withPropertyValues("tito.url=nosuchengine:x")
        .run(failsWith("cannot open the Tito store (tito.url=nosuchengine:x)"));
  }

  @Test
  void dataSourceModeWithoutADataSource() {
    bare.withPropertyValues("tito.data-source.enabled=true")
        .run(failsWith("no single DataSource bean"));
  }

  @Test
  void zeroPartitions() {
    onRocksDb().withPropertyValues("tito.topics.orders.partitions=0")
        .run(failsWith("tito.topics.orders.partitions must be at least 1"));
  }

  @Test
  void declaredTopicExistingWithOtherSettings() {
    try (Tito tito = Tito.open("rocksdb:" + dir.resolve("store"))) {
      tito.topics().createTopic("orders", TopicConfig.DEFAULTS.withPartitions(2));
    }
    onRocksDb().run(failsWith("tito.topics.orders"));
  }

  @Test
  void unparsableDuration() {
    onRocksDb().withPropertyValues("tito.subscription.initial-backoff=soon")
        .run(failsWith("tito.subscription.initial-backoff"));
  }

  @Test
  void subscriptionValueOutOfRange() {
    onRocksDb().withPropertyValues("tito.subscription.max-attempts=-1")
        .withBean(Listeners.Recording.class)
        .run(failsWith("cannot start @TitoListener orders/billing", "maxAttempts"));
  }

  @Test
  void listenerWithAnUnsupportedSignature() {
    onRocksDb().withBean(Listeners.WrongSignature.class)
        .run(failsWith("@TitoListener", "WrongSignature.onOrder",
            "parameters must be (Event) or (Transaction, Event)"));
  }

  @Test
  void listenerOnAnUndeclaredTopic() {
    onRocksDb().withBean(Listeners.UndeclaredTopic.class)
        .run(failsWith("cannot start @TitoListener nowhere/g"));
  }
}
