package io.tito.admin;

import io.tito.Tito;
import io.tito.Transaction;
import io.tito.events.Aggregate;
import io.tito.events.AggregateRepository;
import io.tito.events.EventData;
import io.tito.events.EventStore;
import io.tito.events.EventSubscriptionOptions;
import io.tito.events.ExpectedVersion;
import io.tito.events.Projection;
import io.tito.events.RecordedEvent;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.tuple.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Known work on a real event store: stream {@code order1} (alias "orders:1": OrderPlaced,
 * ItemAdded, OrderShipped), "order-2" (OrderPlaced), "poison-1" (Poison), "tally-1" (three
 * Counted commits of aggregate "tally", queued for a snapshot); projection "counter" (events per
 * type) and subscription group "feed", both with one attempt, so the Poison event is one dead
 * letter of each until {@link #heal()}. 8 events in {@code $all}.
 */
final class EventsFixture implements AutoCloseable {

  static final SubscribeOptions ONE_ATTEMPT = SubscribeOptions.builder().maxAttempts(1)
      .pollInterval(Duration.ofMillis(50)).heartbeatInterval(Duration.ofMillis(200))
      .leaseTimeout(Duration.ofSeconds(2)).build();
  static final int EVENTS = 8;

  /** Counts events per type under ("counter", type); fails on Poison until healed. */
  final class Counter implements Projection {
    @Override
    public String name() {
      return "counter";
    }

    @Override
    public void apply(Transaction tx, RecordedEvent e) {
      if (!healed && e.type().equals("Poison")) {
        throw new IllegalStateException("cannot count " + e.streamId());
      }
      byte[] key = tito.root().pack("counter", e.type());
      byte[] v = tx.get(key);
      tx.set(key, Tuple.of((v == null ? 0 : Tuple.unpack(v).getLong(0)) + 1).pack());
    }

    @Override
    public void clear(Transaction tx) {
      tx.clearRange(tito.root().range(Tuple.of("counter")));
    }
  }

  static final Aggregate<Long> TALLY = new Aggregate<>() {
    @Override
    public String name() {
      return "tally";
    }

    @Override
    public Long initialState() {
      return 0L;
    }

    @Override
    public Long apply(Long state, RecordedEvent event) {
      return state + 1;
    }

    @Override
    public Class<Long> stateType() {
      return Long.class;
    }
  };

  final String url;
  final Tito tito;
  final EventStore events;
  final Counter counter = new Counter();
  final AggregateRepository<Long> tallies;
  final List<RecordedEvent> fed = new CopyOnWriteArrayList<>();
  volatile boolean healed;
  String order1;
  Subscription feed;

  EventsFixture(String url) {
    this.url = url;
    this.tito = Tito.builder().url(url).with(EventStore.builder()).build();
    this.events = tito.module(EventStore.class);
    this.tallies = AggregateRepository.builder(events, TALLY).build();
  }

  EventsFixture withWork() {
    order1 = events.resolveAlias("orders:1");
    events.append(order1, ExpectedVersion.NO_STREAM,
        EventData.of("OrderPlaced", Map.of("sku", "book")),
        EventData.of("ItemAdded", Map.of("sku", "pen")),
        EventData.of("OrderShipped", Map.of("carrier", "post")));
    events.append("order-2", ExpectedVersion.NO_STREAM, EventData.of("OrderPlaced", Map.of("sku", "cup")));
    events.append("poison-1", ExpectedVersion.NO_STREAM, EventData.of("Poison", Map.of("bad", true)));
    for (int i = 0; i < 3; i++) {
      tallies.commit(tallies.load("tally-1"), List.of(EventData.of("Counted", Map.of("n", i))));
    }
    events.projections().runUntilIdle(counter, ONE_ATTEMPT, Duration.ofSeconds(60));
    feed = events.subscriptions().subscribe("feed",
        EventSubscriptionOptions.DEFAULTS.withConsumer(ONE_ATTEMPT), e -> {
          if (!healed && e.type().equals("Poison")) {
            throw new IllegalStateException("cannot feed " + e.streamId());
          }
          fed.add(e);
        });
    Fixture.await("feed consumed everything, one dead letter", () ->
        events.subscriptions().status("feed").lag() == 0
            && events.subscriptions().deadLetters("feed", 10).size() == 1);
    return this;
  }

  /** The counter's count of {@code type} (0 if none). */
  long count(String type) {
    byte[] v = tito.read(tx -> tx.get(tito.root().pack("counter", type)));
    return v == null ? 0 : Tuple.unpack(v).getLong(0);
  }

  /** From now on Poison is accepted. */
  void heal() {
    healed = true;
  }

  /** An admin with the counter and the tally repository registered, as an application has. */
  TitoAdmin registeredAdmin() {
    TitoAdmin admin = TitoAdmin.of(tito);
    admin.events().register(counter, ONE_ATTEMPT).register(tallies);
    return admin;
  }

  @Override
  public void close() {
    if (feed != null) {
      feed.close();
      feed = null;
    }
    tito.close();
  }
}
