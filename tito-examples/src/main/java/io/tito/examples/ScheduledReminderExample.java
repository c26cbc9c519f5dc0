package io.tito.examples;

import static io.tito.examples.ExampleSupport.await;

import io.tito.Tito;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.PublishReceipt;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Scheduled reminders: events published now with a due time ({@link Message#deliverAt}) wait in
 * the store and are delivered once due, never before, in due-time order within a partition. A
 * reminder scheduled in a transaction that rolls back never fires.
 *
 * <p>Run it with {@code bin/run-example io.tito.examples.ScheduledReminderExample [data-directory]}.
 */
public final class ScheduledReminderExample {

  private ScheduledReminderExample() {}

  public static void main(String[] args) throws Exception {
    ExampleSupport.mainOnRocksDb("reminders", args, ScheduledReminderExample::run);
  }

  /** One delivery as the handler saw it. */
  private record Delivery(String text, Instant due, Instant at) {}

  /** The example itself, on any engine; the topic {@code reminders} should be new. */
  public static void run(Tito tito, PrintStream out) throws Exception {
    Topics topics = tito.topics();
    topics.createTopic("reminders", TopicConfig.DEFAULTS.withPartitions(1));

    Instant now = Instant.now();
    Object[][] plan = {{"water the plants", 1500}, {"stand up and stretch", 500},
        {"call the dentist", 1000}, {"read the news", 0}};
    for (Object[] p : plan) {
      int ms = (Integer) p[1];
      Message m = Message.of("me", ((String) p[0]).getBytes(StandardCharsets.UTF_8));
      PublishReceipt r = topics.publish("reminders", ms == 0 ? m : m.deliverAt(now.plusMillis(ms)));
      out.println("Scheduled '" + p[0] + "' " + (ms == 0 ? "for now" : "in " + ms + " ms")
          + (r.scheduled() ? " (waiting for its due time)" : " (in the log at once)"));
    }
    try {
      tito.inTransaction(tx -> {
        topics.publish(tx, "reminders", Message.of("me",
            "cancelled meeting".getBytes(StandardCharsets.UTF_8)).deliverAt(now.plusMillis(700)));
        throw new IllegalStateException("meeting cancelled");
      });
    } catch (IllegalStateException e) {
      out.println("Scheduled 'cancelled meeting' in 700 ms, but the transaction rolled back.");
    }

    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    SubscribeOptions options = SubscribeOptions.builder().pollInterval(Duration.ofMillis(200))
        .build();
    try (Subscription s = topics.subscribe("reminders", "phone", (Event e) -> {
      Instant at = Instant.now();
      if (deliveries.stream().noneMatch(d -> d.text().equals(text(e)))) {
        deliveries.add(new Delivery(text(e), e.deliverAt(), at));
      }
    }, options)) {
      await("four reminders", () -> deliveries.size() >= 4);
      // The cancelled one would be due at 700 ms: give it ample time to (not) show up.
      await("the last due time", () -> Instant.now().isAfter(now.plusMillis(2000)));
    }
    out.println("Delivered, in this order:");
    for (Delivery d : deliveries) {
      out.println("  " + d.text() + (d.due() == null ? " (immediate)"
          : " - not before its due time: " + !d.at().isBefore(d.due())));
    }
    out.println("Delivered " + deliveries.size() + " reminders; the rolled-back one never fired: "
        + deliveries.stream().noneMatch(d -> d.text().equals("cancelled meeting")));
    out.println("Waiting reminders left: " + topics.lag("reminders", "phone").stream()
        .mapToLong(l -> l.lag()).sum() + " (lag of group 'phone')");
  }

  private static String text(Event e) {
    return new String(e.payload(), StandardCharsets.UTF_8);
  }
}
