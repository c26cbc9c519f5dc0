package io.tito.bench;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.ModelStore;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts client-to-PostgreSQL round trips per operation of Tito's JDBC engine (issue 16): a point
 * write transaction, event-store appends of 1 and 10 events and a {@code $all} page, a model
 * insert with two indexes and one event, a publish, and a consumer batch with its checkpoint. Counts flushes of the driver's sockets ({@link CountingSocketFactory});
 * one operation at a time, after warm-up, averaged over {@code n} operations. Background work of
 * the subscription (lease renewals, polls) lands in the consumer figure, which is amortised.
 *
 * <p>Usage: {@code bin/run-bench io.tito.bench.RoundTripCount [n=200]}
 */
public final class RoundTripCount {

  private RoundTripCount() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0].replace("n=", "")) : 200;
    String table = BenchServers.freshTable("rtc_");
    String url = BenchServers.url("postgresql") + "?socketFactory=" + CountingSocketFactory.class.getName();
    try (Tito tito = Tito.builder().engine("postgresql",
        Map.of("url", url, "user", BenchServers.user("postgresql"), "table", table))
        .with(io.tito.events.EventStore.builder()).build()) {
      io.tito.events.EventStore events = tito.module(io.tito.events.EventStore.class);
      ModelStore<ModelBenchmark.Person> people =
          DataStore.models().model(ModelBenchmark.PEOPLE).open(tito).store(ModelBenchmark.PEOPLE);
      Topics topics = tito.topics();
      topics.createTopic("people", TopicConfig.DEFAULTS);
      topics.createTopic("rtc", TopicConfig.DEFAULTS);
      AtomicLong ids = new AtomicLong();
      Runnable point = () -> {
        long i = ids.incrementAndGet();
        tito.inTransaction(tx -> tx.set(("k" + i).getBytes(StandardCharsets.UTF_8), new byte[100]));
      };
      Runnable insert = () -> {
        ModelBenchmark.Person p = ModelBenchmark.person(ids.incrementAndGet());
        tito.inTransaction(tx -> {
          people.insert(tx, p);
          topics.publish(tx, "people", Message.of(Long.toString(p.id()), new byte[100]));
        });
      };
      Runnable publish = () -> {
        long i = ids.incrementAndGet();
        tito.inTransaction(tx -> topics.publish(tx, "rtc", Message.of("k" + i, new byte[100])));
      };
      Runnable append1 = () -> events.append("rt-" + ids.incrementAndGet(), io.tito.events.ExpectedVersion.NO_STREAM,
          io.tito.events.EventData.ofJson("Deposited", "{\"amount\":1}"));
      Runnable append10 = () -> events.append(io.tito.events.AppendRequest.of("rt-" + ids.incrementAndGet(),
          io.tito.events.ExpectedVersion.NO_STREAM, java.util.Collections.nCopies(10,
              io.tito.events.EventData.ofJson("Deposited", "{\"amount\":1}"))));
      Runnable readAll = () -> events.readAll(io.tito.Stamp.ZERO, 100, io.tito.events.EventFilter.ALL);
      report("point write tx", point, n);
      report("event append, 1 event (own tx)", append1, n);
      report("event append, 10 events (own tx)", append10, n);
      events.append("rt-known", io.tito.events.ExpectedVersion.ANY,
          io.tito.events.EventData.ofJson("Deposited", "{\"amount\":1}"));
      Runnable appendKnown = () -> events.append("rt-known", io.tito.events.ExpectedVersion.ANY,
          io.tito.events.EventData.ofJson("Deposited", "{\"amount\":1}"));
      report("event append to a stream this process appended to, 1 event", appendKnown, n);
      io.tito.events.AggregateRepository<io.tito.bench.events.Account> accounts =
          io.tito.events.AggregateRepository.builder(events, io.tito.bench.events.TitoEvents.ACCOUNT).build();
      java.util.concurrent.atomic.AtomicReference<io.tito.events.Loaded<io.tito.bench.events.Account>> acc =
          new java.util.concurrent.atomic.AtomicReference<>(accounts.commit(accounts.load("rt-acc"),
              java.util.List.of(io.tito.events.EventData.ofJson("Deposited", "{\"amount\":1}"))));
      Runnable commitKnown = () -> acc.set(accounts.commit(acc.get(),
          java.util.List.of(io.tito.events.EventData.ofJson("Deposited", "{\"amount\":1}"))));
      report("aggregate commit, 1 event (loaded before, stream known)", commitKnown, n);
      // Streams another event store (as another process) appended to: this process learns each
      // one's header from the aggregate's load.
      io.tito.events.EventStore other = io.tito.events.EventStore.builder().open(tito);
      for (int i = 0; i < n + 20; i++) {
        other.append("rt-cold-" + i, io.tito.events.ExpectedVersion.NO_STREAM,
            io.tito.events.EventData.ofJson("Deposited", "{\"amount\":1}"));
      }
      java.util.concurrent.atomic.AtomicInteger cold = new java.util.concurrent.atomic.AtomicInteger();
      Runnable loadAndCommit = () -> accounts.commit(accounts.load("rt-cold-" + cold.getAndIncrement()),
          java.util.List.of(io.tito.events.EventData.ofJson("Deposited", "{\"amount\":1}")));
      report("aggregate load + commit, 1 event (stream new to this process)", loadAndCommit, n);
      report("$all page of 100 (readAll)", readAll, n);
      report("model insert, 2 indexes + 1 event", insert, n);
      report("publish (1 event, own tx)", publish, n);
      consume(topics, n);
    } finally {
      BenchServers.dropTables("postgresql", table);
    }
  }

  private static void report(String name, Runnable op, int n) {
    for (int i = 0; i < 20; i++) {
      op.run();
    }
    long before = CountingSocketFactory.FLUSHES.get();
    for (int i = 0; i < n; i++) {
      op.run();
    }
    double per = (CountingSocketFactory.FLUSHES.get() - before) / (double) n;
    System.out.printf("%-40s %6.2f round trips%n", name, per);
  }

  /** Events already published to "rtc" are consumed in batches; trips per batch, amortised. */
  private static void consume(Topics topics, int published) throws InterruptedException {
    AtomicInteger handled = new AtomicInteger();
    AtomicInteger batches = new AtomicInteger();
    long before = CountingSocketFactory.FLUSHES.get();
    int expected = published + 20;
    Subscription s = topics.subscribeBatches("rtc", "g", (List<Event> es) -> {
      batches.incrementAndGet();
      handled.addAndGet(es.size());
    }, SubscribeOptions.DEFAULTS);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (handled.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long trips = CountingSocketFactory.FLUSHES.get() - before;
    s.close(Duration.ofSeconds(10));
    System.out.printf("%-40s %6.2f round trips (%d events in %d batches, subscription start"
        + " and leases included)%n", "consumer batch + checkpoint", trips / (double) batches.get(),
        handled.get(), batches.get());
  }
}
