package io.tito.examples;

import static io.tito.examples.ExampleSupport.await;

import io.tito.Tito;
import io.tito.events.EventFilter;
import io.tito.events.EventStore;
import io.tito.events.EventSubscriptionOptions;
import io.tito.events.ExpectedVersion;
import io.tito.events.EventData;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A subscription feeding an outbox topic: the event-store subscription "outbox-feed" takes the
 * "OrderPlaced" events of {@code $all} and publishes each to the pub/sub topic "orders" in its
 * ack's transaction, so an event is published exactly once however often the feed crashes; a
 * consumer of the topic (another service, say) prints them.
 *
 * <p>Run it with {@code bin/run-example io.tito.examples.OutboxFeedExample [data-directory]}.
 */
public final class OutboxFeedExample {

  private OutboxFeedExample() {}

  public static void main(String[] args) throws Exception {
    ExampleSupport.mainOnRocksDb("outbox-feed", args, b -> b.with(EventStore.builder()),
        OutboxFeedExample::run);
  }

  /** The example itself, on any store with an {@link EventStore}; the topic "orders" should be new. */
  public static void run(Tito tito, PrintStream out) throws Exception {
    EventStore events = tito.module(EventStore.class);
    Topics topics = tito.topics();
    topics.createTopic("orders", TopicConfig.DEFAULTS.withPartitions(2));

    events.append("order-1", ExpectedVersion.NO_STREAM, EventData.ofJson("OrderPlaced", "{\"sku\":\"book\"}"));
    events.append("cart-9", ExpectedVersion.NO_STREAM, EventData.ofJson("ItemAdded", "{\"sku\":\"pen\"}"));
    events.append("order-2", ExpectedVersion.NO_STREAM, EventData.ofJson("OrderPlaced", "{\"sku\":\"lamp\"}"));
    events.append("order-1", ExpectedVersion.exact(1), EventData.ofJson("OrderShipped", "{}"));

    EventSubscriptionOptions feedOptions = EventSubscriptionOptions.DEFAULTS
        .withFilter(EventFilter.types("OrderPlaced"));
    List<String> received = new CopyOnWriteArrayList<>();
    try (Subscription feed = events.subscriptions().subscribeTransactional("outbox-feed", feedOptions,
            (tx, e) -> topics.publish(tx, "orders", Message.of(e.streamId(), e.payload())
                .withId(e.eventId())));
         Subscription consumer = topics.subscribe("orders", "shipping", (Event e) ->
             received.add(e.key() + " " + new String(e.payload(), StandardCharsets.UTF_8)),
             SubscribeOptions.DEFAULTS)) {
      events.append("order-3", ExpectedVersion.NO_STREAM, EventData.ofJson("OrderPlaced", "{\"sku\":\"desk\"}"));
      await("three orders on the topic", () -> received.size() == 3);
    }
    received.stream().sorted().forEach(r -> out.println("shipping received " + r));
    out.println("Feed status: lag " + events.subscriptions().status("outbox-feed").lag());
  }
}
