package io.tito.events;

import io.tito.InvalidArgumentException;
import io.tito.Stamp;
import io.tito.Transaction;
import io.tito.internal.events.AllEntry;
import io.tito.internal.events.AllLog;
import io.tito.internal.events.AllScan;
import io.tito.internal.events.EventRows;
import io.tito.internal.events.Positions;
import io.tito.internal.events.StoredEvent;
import io.tito.pubsub.Event;
import io.tito.pubsub.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Consumer groups over {@code $all}, on Tito's consumer core: each group has its own checkpoint,
 * one partition with a fenced lease (one active worker at a time across processes; others stand
 * by), retries with backoff and dead letters. Three ways to ack:
 * <ul>
 *   <li>{@link #subscribe}: automatic; the checkpoint moves once the handler returns (at least
 *       once: a crash between the two hands the events over again).
 *   <li>{@link #subscribeTransactional}: the ack commits inside the handler's transaction with its
 *       writes (exactly once in the store).
 *   <li>{@link #subscribeManual}: the handler acks or nacks each {@link Delivery}; a nack counts as a
 *       failed attempt.
 * </ul>
 * At most {@link EventSubscriptionOptions#maxInFlight} events of a group are handed over before
 * they are acked. Group names are 1 to 256 chars. Thread-safe.
 */
public final class EventSubscriptions {

  private static final String PREFIX = "subscription:";
  private static final int START_SCAN_PAGE = 500;

  private final EventStore store;
  private final Consumers consumers;

  EventSubscriptions(EventStore store, Consumers consumers) {
    this.store = store;
    this.consumers = consumers;
  }

  /** Handler of an automatically acked subscription. */
  @FunctionalInterface
  public interface Handler {
    void handle(RecordedEvent event) throws Exception;
  }

  /** Handler whose ack commits in {@code tx} with its own writes. */
  @FunctionalInterface
  public interface TransactionalHandler {
    void handle(Transaction tx, RecordedEvent event) throws Exception;
  }

  /** Handler that acks or nacks each delivery. */
  @FunctionalInterface
  public interface ManualHandler {
    void handle(Delivery delivery) throws Exception;
  }

  /** Starts a worker of {@code group}; events are acked when the handler returns. */
  public Subscription subscribe(String group, EventSubscriptionOptions options, Handler handler) {
    requireHandler(handler);
    String g = register(group, options);
    return consumers.subscriptions.subscribeLog(Consumers.TOPIC, g, batch -> {
      for (Event ev : batch) {
        RecordedEvent e = Consumers.decode(ev, store.reader());
        if (e != null) {
          handler.handle(e);
        }
      }
    }, options.coreOptions(), log(g, options));
  }

  /** Starts a worker of {@code group}; each ack commits in the handler's transaction. */
  public Subscription subscribeTransactional(String group, EventSubscriptionOptions options,
      TransactionalHandler handler) {
    requireHandler(handler);
    String g = register(group, options);
    return consumers.subscriptions.subscribeLog(Consumers.TOPIC, g,
        (Transaction tx, List<Event> batch) -> {
          for (Event ev : batch) {
            RecordedEvent e = Consumers.decode(ev, store.reader());
            if (e != null) {
              handler.handle(tx, e);
            }
          }
        }, options.coreOptions(), log(g, options));
  }

  /**
   * Starts a worker of {@code group} whose handler acks or nacks each {@link Delivery}, during
   * the call or later from any thread ({@link Delivery#ack()}), or in the caller's transaction
   * ({@link Delivery#ack(Transaction)}). The worker hands over at most {@code maxInFlight} events
   * and fetches more only once all of them are acked; the checkpoint then moves past them. A nack
   * (or no ack before the handler timeout, or a close after the shutdown timeout) fails the batch
   * in hand: its events are handed over again one at a time, so events acked before in that batch
   * come again (at least once), except those acked in a committed caller's transaction.
   */
  public Subscription subscribeManual(String group, EventSubscriptionOptions options,
      ManualHandler handler) {
    requireHandler(handler);
    String g = register(group, options);
    long timeout = options.consumer().handlerTimeout().toNanos();
    // Give up on unacked deliveries a little before the core gives up on the call, so that the
    // batch is closed (late acks throw) before its events can be handed over again.
    long wait = timeout - Math.min(timeout / 10, java.time.Duration.ofSeconds(1).toNanos());
    return consumers.subscriptions.subscribeLog(Consumers.TOPIC, g, batch -> {
      long deadline = System.nanoTime() + wait;
      DeliveryBatch deliveries = new DeliveryBatch();
      try {
        for (Event ev : batch) {
          RecordedEvent e = Consumers.decode(ev, store.reader());
          if (e != null) {
            handler.handle(new Delivery(e, deliveries, consumers, g, ev.position(), Consumers.generationOf(ev)));
            if (deliveries.nacked() != null) {
              break;
            }
          }
        }
      } catch (Exception | Error e) {
        deliveries.close();
        throw e;
      }
      deliveries.await(deadline);
    }, options.coreOptions(), consumers.log(g, options.filter(), null, true));
  }

  /** Pauses the group everywhere (its workers stop fetching). */
  public void pause(String group) {
    consumers.setPaused(group(group), true);
  }

  /** Resumes a paused group. */
  public void resume(String group) {
    consumers.setPaused(group(group), false);
  }

  /** The names of the groups known to the store (every one started once, from any process), sorted. */
  public List<String> names() {
    return consumers.names(PREFIX);
  }

  /**
   * Moves the group's checkpoint: it goes on from {@code to} ({@link StartAt#BEGINNING}, {@link
   * StartAt#END} (the head now), {@link StartAt#after} a position, or {@link StartAt#time} the
   * first event created at or after a time), from any process, while workers run. Failed attempts
   * are cleared; dead letters and requeued entries are kept. The worker holding the group's lease
   * is fenced: the events it has in hand cannot be acked past the reset (a manual ack of one
   * throws, an automatic or transactional ack is refused), and it goes on from the new checkpoint
   * once it takes the lease again, at its next heartbeat.
   *
   * @throws io.tito.NotFoundException if the group was never started
   */
  public void reset(String group, StartAt to) {
    String g = group(group);
    if (to == null) {
      throw new InvalidArgumentException("start position must not be null", Map.of("group", group));
    }
    consumers.requireKnown(g);
    consumers.reset(g, startCheckpoint(to));
  }

  /**
   * Deletes the group: its checkpoint, lease, members, requeued entries, dead letters and pause
   * flag. A later subscribe starts it anew from its start position. Close its workers first.
   *
   * @return whether the group existed
   * @throws InvalidArgumentException if a worker of the group is live (a crashed worker counts
   *     until its membership expires, one lease timeout)
   */
  public boolean delete(String group) {
    return consumers.delete(group(group));
  }

  /** Where the group stands. @throws io.tito.NotFoundException if it was never started */
  public ProjectionStatus status(String group) {
    return consumers.status(group(group), group);
  }

  /** The group's dead letters, at most {@code limit}. */
  public List<EventDeadLetter> deadLetters(String group, int limit) {
    return consumers.deadLetters(group(group), limit, store.reader());
  }

  /** Puts a dead letter back for this group (handled before it goes on with {@code $all}). */
  public void requeue(String group, UUID id) {
    consumers.requeue(group(group), id);
  }

  /** Deletes a dead letter; whether it existed. */
  public boolean deleteDeadLetter(String group, UUID id) {
    return consumers.deleteDeadLetter(group(group), id);
  }

  private AllLog log(String group, EventSubscriptionOptions options) {
    return consumers.log(group, options.filter(), null, false);
  }

  private String register(String group, EventSubscriptionOptions options) {
    String g = group(group);
    if (options == null) {
      throw new InvalidArgumentException("options must not be null", Map.of());
    }
    consumers.ensureTopic();
    if (consumers.tito.read(tx -> consumers.state(tx, g)) == null) {
      consumers.register(g, startCheckpoint(options.start()));
    }
    return g;
  }

  private long startCheckpoint(StartAt start) {
    return switch (start.kind()) {
      case BEGINNING -> 0;
      case END -> Consumers.after(store.headPosition());
      case AFTER -> Consumers.after(start.position());
      case TIME -> consumers.tito.read(tx -> firstAt(tx, start.time()));
    };
  }

  /** The packed position of the first event created at or after {@code time}, else after the head. */
  private long firstAt(Transaction tx, Instant time) {
    Stamp after = Stamp.ZERO;
    Stamp horizon = tx.stampHorizon();
    while (true) {
      AllScan.Page page = AllScan.read(tx, store.keys(), after.next(), horizon, START_SCAN_PAGE);
      List<AllEntry> entries = new java.util.ArrayList<>(page.events().size());
      for (AllScan.Event ev : page.events()) {
        entries.add(ev.entry());
      }
      List<byte[]> bodies = EventRows.bodies(tx, store.keys(), entries);
      for (int i = 0; i < entries.size(); i++) {
        after = page.events().get(i).position();
        byte[] body = bodies.get(i);
        if (body != null && !StoredEvent.decode(body).createdAt().isBefore(time)) {
          return Positions.pack(after);
        }
      }
      if (!page.cut()) {
        return Consumers.after(after);
      }
    }
  }

  private static String group(String name) {
    Consumers.checkName(name);
    return PREFIX + name;
  }

  private static void requireHandler(Object handler) {
    if (handler == null) {
      throw new InvalidArgumentException("handler must not be null", Map.of());
    }
  }
}
