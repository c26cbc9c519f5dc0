package io.tito.examples;

import static io.tito.examples.ExampleSupport.await;
import static io.tito.examples.ExampleSupport.heading;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelEvents;
import io.tito.data.ModelStore;
import io.tito.pubsub.DeadLetter;
import io.tito.pubsub.Event;
import io.tito.pubsub.EventHandler;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The main demo ({@code bin/demo}): the transactional outbox end to end on one store. Orders are
 * written through a model whose writes publish events in the same transaction; two consumer
 * groups each receive every event; a scheduled reminder arrives at its due time and not before;
 * a failing handler is retried, dead-lettered, then requeued and processed once repaired.
 *
 * <p>The output is deterministic (what concurrent handlers saw is sorted before printing), so a
 * test asserts it line by line on every engine.
 */
public final class Demo {

  /** An order, stored as JSON by the {@code orders} model. */
  public record Order(String id, String customer, String item, int qty, String status) {}

  static final Model<Order> ORDERS = Model.builder(Order.class, "orders").id(Order::id).build();

  private static final SubscribeOptions FAST = SubscribeOptions.builder()
      .pollInterval(Duration.ofMillis(200))
      .build();

  private Demo() {}

  /** {@code bin/demo [data-directory]}: runs the demo on an embedded RocksDB store. */
  public static void main(String[] args) throws Exception {
    ExampleSupport.mainOnRocksDb("demo", args, Demo::store, Demo::run);
  }

  /**
   * What the demo needs of a store: the {@code orders} model, whose every write publishes an
   * event to topic {@code orders} in the writing transaction.
   */
  public static Tito.Builder store(Tito.Builder builder) {
    return builder.with(DataStore.models(ORDERS)
        .events(ModelEvents.builder().publish(ORDERS, "orders")));
  }

  /**
   * The demo itself, on any engine, on a store opened with {@link #store}; the store should be
   * empty (or at least the topics new).
   */
  public static void run(Tito tito, PrintStream out) throws Exception {
    Topics topics = tito.topics();
    topics.createTopic("orders", TopicConfig.DEFAULTS.withPartitions(4));
    topics.createTopic("reminders", TopicConfig.DEFAULTS.withPartitions(1));
    ModelStore<Order> orders = tito.module(DataStore.class).store(ORDERS);

    heading(out, "1. Records written with events");
    out.println("Model 'orders' publishes every write to topic 'orders' (4 partitions, keyed by"
        + " order id), inside the writing transaction.");
    tito.inTransaction(tx -> {
      orders.insert(tx, new Order("o-1", "ann", "book", 1, "new"));
      orders.insert(tx, new Order("o-2", "bob", "lamp", 2, "new"));
      orders.insert(tx, new Order("o-3", "cid", "desk", 1, "new"));
    });
    out.println("Inserted o-1, o-2, o-3 in one transaction.");
    orders.update(new Order("o-2", "bob", "lamp", 2, "paid"));
    out.println("Updated o-2 (status paid).");
    try {
      tito.inTransaction(tx -> {
        orders.insert(tx, new Order("o-4", "dan", "sofa", 1, "new"));
        throw new IllegalStateException("payment declined");
      });
    } catch (IllegalStateException e) {
      out.println("Inserting o-4 failed (" + e.getMessage() + "): rolled back, record and event"
          + " both gone: o-4 exists = " + orders.exists("o-4"));
    }
    long logged = 0;
    for (int p = 0; p < 4; p++) {
      logged += topics.head("orders", p);
    }
    out.println("Events in topic 'orders': " + logged);

    heading(out, "2. Two consumer groups, each receives every event");
    Map<UUID, String> billing = new ConcurrentHashMap<>();   // by event id: at-least-once
    Map<UUID, String> shipping = new ConcurrentHashMap<>();
    try (Subscription b = topics.subscribe("orders", "billing",
            e -> billing.put(e.id(), describe(e)), FAST);
        Subscription s = topics.subscribe("orders", "shipping",
            e -> shipping.put(e.id(), describe(e)), FAST)) {
      await("both groups", () -> billing.size() >= 4 && shipping.size() >= 4);
      printSorted(out, "billing received", billing.values());
      printSorted(out, "shipping received", shipping.values());
    }
    out.println("(per order id, each group sees the events in commit order)");

    heading(out, "3. A scheduled event fires on time");
    AtomicReference<Instant> arrived = new AtomicReference<>();
    AtomicReference<Event> reminder = new AtomicReference<>();
    Instant due = Instant.now().plusSeconds(1);
    topics.publish("reminders", Message.of("o-1",
        "remind ann to review her book".getBytes(StandardCharsets.UTF_8)).deliverAt(due));
    out.println("Published a reminder for o-1, due in 1 s.");
    try (Subscription r = topics.subscribe("reminders", "mailer", e -> {
      arrived.compareAndSet(null, Instant.now());
      reminder.compareAndSet(null, e);
    }, FAST)) {
      await("the reminder", () -> arrived.get() != null);
    }
    out.println("mailer received: " + new String(reminder.get().payload(), StandardCharsets.UTF_8));
    out.println("Arrived at or after its due time: " + !arrived.get().isBefore(due));

    heading(out, "4. A failing handler: retried, then dead-lettered");
    AtomicBoolean repaired = new AtomicBoolean(false);
    List<String> attempts = new CopyOnWriteArrayList<>();
    Map<UUID, String> done = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
    EventHandler fragile = e -> {
      String what = describe(e);
      int n = tries.computeIfAbsent(e.id().toString(), k -> new AtomicInteger()).incrementAndGet();
      if (e.key().equals("o-3") && !repaired.get()) {
        attempts.add("attempt " + n + " on " + what + ": failed (desk out of stock)");
        throw new IllegalStateException("desk out of stock");
      }
      done.put(e.id(), what + " (handler call " + n + ")");
    };
    SubscribeOptions threeTries = FAST.toBuilder().maxAttempts(3)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
    out.println("Group 'warehouse' (max 3 attempts, backoff from 50 ms) fails on o-3.");
    try (Subscription w = topics.subscribe("orders", "warehouse", fragile, threeTries)) {
      await("the dead letter", () -> done.size() >= 3
          && !topics.deadLetters("orders", "warehouse", 10).isEmpty());
      attempts.forEach(a -> out.println("  " + a));
      printSorted(out, "warehouse processed", done.values());
      for (DeadLetter d : topics.deadLetters("orders", "warehouse", 10)) {
        out.println("Dead letter: " + describe(d.event()) + " after " + d.attempts()
            + " attempts, error: " + d.error());
      }
      out.println("The partition went on; billing and shipping are unaffected (they processed o-3 above).");

      heading(out, "5. Repaired, requeued, processed");
      repaired.set(true);
      int requeued = topics.requeueAll("orders", "warehouse");
      out.println("Requeued " + requeued + " dead letter(s) of 'warehouse'.");
      await("the requeued event", () -> done.size() >= 4);
      done.values().stream().filter(d -> d.contains(" o-3 "))
          .forEach(d -> out.println("warehouse processed: " + d));
      out.println("Dead letters left: " + topics.deadLetters("orders", "warehouse", 10).size());
    }
    out.println();
    out.println("Done: every event existed iff its write committed, and reached every group.");
  }

  /** {@code INSERT o-2 v1 (lamp x2, new)} from an order event's headers and JSON payload. */
  static String describe(Event e) {
    Order o = ORDERS.codec().decode(e.payload());
    return e.headers().get(ModelEvents.CHANGE_HEADER) + " " + o.id() + " v"
        + e.headers().get(ModelEvents.VERSION_HEADER) + " (" + o.item() + " x" + o.qty() + ", "
        + o.status() + ")";
  }

  private static void printSorted(PrintStream out, String who, Collection<String> seen) {
    List<String> sorted = new ArrayList<>(seen);
    Collections.sort(sorted, Comparator.comparing((String s) -> s.split(" ")[1])
        .thenComparing(s -> s.split(" ")[2]));
    out.println(who + " " + sorted.size() + " events:");
    sorted.forEach(s -> out.println("  " + s));
  }
}
