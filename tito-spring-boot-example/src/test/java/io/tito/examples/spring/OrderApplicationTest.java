package io.tito.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.tito.Tito;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the example application as {@code main} would (auto-configuration found through the
 * starter's imports file, Actuator present), places orders and watches them shipped.
 */
class OrderApplicationTest {

  @TempDir Path dir;

  @Test
  void placedOrdersAreStoredShippedMeasuredAndTheStoreIsHealthy() {
    try (ConfigurableApplicationContext ctx = SpringApplication.run(OrderApplication.class,
        "--tito.url=rocksdb:" + dir.resolve("store"))) {
      OrderService orders = ctx.getBean(OrderService.class);
      orders.place(new Order("o1", "ada", 1200));
      orders.place(new Order("o2", "grace", 800));
      assertThat(orders.find("o1")).contains(new Order("o1", "ada", 1200));

      ShippingListener shipping = ctx.getBean(ShippingListener.class);
      await("both orders shipped", () -> shipping.shipped().size() == 2);
      assertThat(shipping.shipped()).containsExactlyInAnyOrder("o1 for ada", "o2 for grace");

      MeterRegistry meters = ctx.getBean(MeterRegistry.class);
      await("handled counter at 2", () -> {
        var c = meters.find("tito.listener.handled").tags("group", "shipping").counter();
        return c != null && c.count() == 2;
      });

      HealthEndpoint health = ctx.getBean(HealthEndpoint.class);
      assertThat(health.healthForPath("tito").getStatus().getCode()).isEqualTo("UP");
      ctx.getBean(Tito.class).close();
      assertThat(health.healthForPath("tito").getStatus().getCode()).isEqualTo("DOWN");
    }
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
