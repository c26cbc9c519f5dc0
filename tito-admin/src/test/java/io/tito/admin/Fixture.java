package io.tito.admin;

import static org.assertj.core.api.Assertions.fail;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.pubsub.DeadLetter;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Known work on a real store: topic "orders" (2 partitions) with group "billing" whose handler
 * fails on payloads starting with "poison" until {@link #heal()} (one attempt, so those go to the
 * dead letters at once), a scheduled event an hour ahead, and model "customers" (3 records) with
 * index "by_city" declared but not registered (DISABLED until built).
 */
final class Fixture implements AutoCloseable {

  record Customer(String id, String city) {}

  static final Model<Customer> CUSTOMERS = Model.builder(Customer.class, "customers")
      .id(Customer::id).index("by_city", ix -> ix.field("city", Customer::city)).build();

  final String url;
  final Tito tito;
  final List<Event> handled = new CopyOnWriteArrayList<>();
  private volatile boolean healed;
  Subscription billing;

  Fixture(String url) {
    this.url = url;
    this.tito = Tito.builder().url(url)
        .with(DataStore.models(CUSTOMERS).registerNewIndexes(false)).build();
  }

  /** Publishes 3 orders (one poison), waits for 2 handled and 1 dead letter; schedules one. */
  Fixture withWork() {
    var topics = tito.topics();
    topics.createTopic("orders", TopicConfig.DEFAULTS.withPartitions(2));
    billing = subscribe();
    topics.publish("orders", Message.of("a", bytes("order-1")));
    topics.publish("orders", Message.of("b", bytes("poison-2")));
    topics.publish("orders", Message.of("c", bytes("order-3")));
    topics.publish("orders", Message.of("d", bytes("later"))
        .deliverAt(Instant.now().plus(Duration.ofHours(1))));
    await("two handled, one dead letter", () -> handled.size() == 2
        && topics.deadLetters("orders", "billing", 10).size() == 1
        && topics.groupStatus("orders", "billing").stream().allMatch(p -> p.lag() == 0));
    var store = tito.module(DataStore.class).store(CUSTOMERS);
    store.insert(new Customer("c1", "Oslo"));
    store.insert(new Customer("c2", "Lima"));
    store.insert(new Customer("c3", "Oslo"));
    return this;
  }

  Subscription subscribe() {
    return tito.topics().subscribe("orders", "billing", e -> {
      if (!healed && new String(e.payload(), StandardCharsets.UTF_8).startsWith("poison")) {
        throw new IllegalStateException("cannot bill " + e.key());
      }
      handled.add(e);
    }, SubscribeOptions.builder().maxAttempts(1).pollInterval(Duration.ofMillis(50))
        .heartbeatInterval(Duration.ofMillis(200)).leaseTimeout(Duration.ofSeconds(2)).build());
  }

  /** From now on the handler accepts poison. */
  void heal() {
    healed = true;
  }

  DeadLetter deadLetter() {
    return tito.topics().deadLetters("orders", "billing", 10).get(0);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  @Override
  public void close() {
    tito.close();
  }
}
