package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Tito;
import io.tito.internal.pubsub.Keys;
import io.tito.internal.pubsub.Signals;
import io.tito.memory.MemoryEngine;
import io.tito.spi.Capability;
import io.tito.spi.ChangeListener;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Idle workers read only when woken while wake-ups are complete, and a notification wakes only
 * the partition it names. Counted through an engine that records transactions and the partitions
 * runners fetch; windows are counted in heartbeats, not in time.
 */
class IdlePollingTest {

  private static final int PARTITIONS = 4;

  private final List<Subscription> subs = new ArrayList<>();
  private final List<Tito> others = new ArrayList<>();
  private Tito tito;

  @AfterEach
  void close() {
    subs.forEach(s -> s.close(Duration.ofSeconds(5)));
    others.forEach(Tito::close);
    if (tito != null) {
      tito.close();
    }
  }

  /** Records read-only transactions, heartbeats (membership scans), runner fetches per partition, notifications. */
  private static class Recording extends ForwardingEngine {
    final Keys keys = new Keys(new io.tito.tuple.Subspace(io.tito.tuple.Tuple.of("tito")));
    final AtomicLong reads = new AtomicLong();
    final AtomicLong heartbeats = new AtomicLong();
    final Map<Integer, AtomicLong> fetches = new ConcurrentHashMap<>();
    final List<String> payloads = new CopyOnWriteArrayList<>();

    Recording(Engine delegate) {
      super(delegate);
      for (int p = 0; p < PARTITIONS; p++) {
        fetches.put(p, new AtomicLong());
      }
    }

    long fetches(int p) {
      return fetches.get(p).get();
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      if (readOnly) {
        reads.incrementAndGet();
      }
      return new ForwardingEngineTransaction(super.begin(readOnly)) {
        @Override
        public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
          if (Arrays.equals(begin, keys.membersRange("t", "g").begin())) {
            heartbeats.incrementAndGet();
          }
          for (int p = 0; p < PARTITIONS; p++) {
            if (Arrays.equals(begin, keys.requeuedRange("t", "g", p).begin())) {
              fetches.get(p).incrementAndGet();
            }
          }
          return super.scan(begin, end, options);
        }

        @Override
        public void notifyOnCommit(String channel, String payload) {
          payloads.add(channel + "/" + payload);
          super.notifyOnCommit(channel, payload);
        }
      };
    }
  }

  /** Stands in for a server engine shared by processes, whose notifications the test sends. */
  private static final class Notifying extends Recording {
    volatile ChangeListener listener;

    Notifying(Engine delegate) {
      super(delegate);
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.MULTI_PROCESS, Capability.CHANGE_NOTIFICATIONS);
    }

    @Override
    public AutoCloseable listen(String channel, ChangeListener l) {
      listener = l;
      return () -> { };
    }
  }

  private Topics open(Recording engine) {
    return open(engine, e -> { });
  }

  private Topics open(Recording engine, EventHandler handler) {
    tito = Tito.open(engine);
    Topics topics = tito.topics();
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(PARTITIONS));
    Subscription s = topics.subscribe("t", "g", handler,
        Await.fast().pollInterval(Duration.ofMillis(10)).build());
    subs.add(s);
    Await.until("all partitions owned", () -> s.ownedPartitions().size() == PARTITIONS);
    return topics;
  }

  private static void awaitHeartbeats(Recording engine, int n) {
    long from = engine.heartbeats.get();
    Await.until(n + " heartbeats", () -> engine.heartbeats.get() >= from + n);
  }

  @Test
  void idleWorkersOfAnEngineOfOneProcessReadOnlyWhenWoken() {
    Recording engine = new Recording(new MemoryEngine());
    Topics topics = open(engine);
    awaitHeartbeats(engine, 3);
    long reads = engine.reads.get();
    // With a 10 ms poll interval and 50 ms heartbeats, polling would read ~20 times per
    // heartbeat here (4 partitions); complete wake-ups leave only the fallback poll.
    awaitHeartbeats(engine, 20);
    assertThat(engine.reads.get() - reads).as("reads of idle workers over 20 heartbeats")
        .isLessThanOrEqualTo(PARTITIONS);
    // Still woken by what is published.
    List<Event> seen = new CopyOnWriteArrayList<>();
    subs.add(topics.subscribe("t", "h", seen::add, Await.fast().build()));
    topics.publish("t", Message.of("k", new byte[] {1}));
    Await.until("delivered", () -> seen.size() == 1);
  }

  @Test
  void aNotificationWakesOnlyThePartitionItNamesWhileNotificationsAreHealthy() {
    Notifying engine = new Notifying(new MemoryEngine());
    Topics topics = open(engine);
    // Notifications not (yet) healthy: every partition polls at its poll interval.
    for (int p = 0; p < PARTITIONS; p++) {
      long from = engine.fetches(p);
      int partition = p;
      Await.until("partition " + p + " polls", () -> engine.fetches(partition) >= from + 3);
    }
    engine.listener.listening(true);
    engine.listener.changed(null); // everyone looks once more, now waiting for wake-ups
    awaitHeartbeats(engine, 3);
    long[] before = new long[PARTITIONS];
    for (int p = 0; p < PARTITIONS; p++) {
      before[p] = engine.fetches(p);
    }
    engine.listener.changed("2:t");
    Await.until("partition 2 woken", () -> engine.fetches(2) > before[2]);
    engine.listener.changed("0:t");
    Await.until("partition 0 woken", () -> engine.fetches(0) > before[0]);
    engine.listener.changed("1:another_topic");
    awaitHeartbeats(engine, 3);
    assertThat(engine.fetches(1)).as("fetches of partition 1").isEqualTo(before[1]);
    assertThat(engine.fetches(3)).as("fetches of partition 3").isEqualTo(before[3]);

    // Publishing notifies other processes with the partition and topic.
    topics.publish("t", Message.of("k", new byte[] {1}));
    int p = Topics.partitionOf("k", PARTITIONS);
    assertThat(engine.payloads).contains(Signals.CHANNEL + "/" + p + ":t");

    // Notifications lost: back to polling.
    engine.listener.listening(false);
    long from = engine.fetches(3);
    Await.until("partition 3 polls again", () -> engine.fetches(3) >= from + 3);
  }

  /**
   * One fetch per batch: a woken partition whose fetch found everything there was handles it and
   * waits for the next wake-up, without a second, empty fetch. The event comes from another
   * process (its commits do not wake this one's runners; its notification does), so it is
   * fetched, not handed over. A fallback poll in the window wakes every partition once, so
   * another partition's fetches count those.
   */
  @Test
  void aWokenPartitionFetchesOnceForABatchThatDrainedIt() {
    List<Event> seen = new CopyOnWriteArrayList<>();
    MemoryEngine store = new MemoryEngine();
    Notifying engine = new Notifying(store);
    Topics topics = open(engine, seen::add);
    engine.listener.listening(true);
    engine.listener.changed(null);
    awaitHeartbeats(engine, 3);
    int p = Topics.partitionOf("k", PARTITIONS);
    int other = (p + 1) % PARTITIONS;
    long before = engine.fetches(p);
    long otherBefore = engine.fetches(other);
    otherProcess(store).topics().publish("t", Message.of("k", new byte[] {1}));
    engine.listener.changed(p + ":t");
    Await.until("delivered", () -> seen.size() == 1);
    awaitHeartbeats(engine, 3);
    long fallbacks = engine.fetches(other) - otherBefore;
    assertThat(engine.fetches(p) - before - fallbacks).as("fetches of the woken partition").isEqualTo(1);
  }

  /**
   * Local publishes are handed over: a runner that read everything before them hands them to its
   * handler in order without fetching. Fails if every wake-up fetches.
   */
  @Test
  void localPublishesAreHandedOverWithoutAFetch() {
    List<Event> seen = new CopyOnWriteArrayList<>();
    Notifying engine = idleNotified(new MemoryEngine(), seen::add);
    int p = Topics.partitionOf("k", PARTITIONS);
    int other = (p + 1) % PARTITIONS;
    long before = engine.fetches(p);
    long otherBefore = engine.fetches(other);
    for (int i = 0; i < 5; i++) {
      tito.topics().publish("t", Message.of("k", new byte[] {(byte) i}));
    }
    Await.until("delivered", () -> seen.size() == 5);
    awaitHeartbeats(engine, 3);
    long fallbacks = engine.fetches(other) - otherBefore;
    assertThat(engine.fetches(p) - before - fallbacks).as("fetches of the partition").isZero();
    assertThat(seen).extracting(e -> (int) e.payload()[0]).containsExactly(0, 1, 2, 3, 4);
    assertThat(seen).extracting(Event::position).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  /**
   * A local publish after another process's leaves a gap before its position: the runner waits for
   * the other process's notification, then fetches, and delivers both in log order. Fails if a kept
   * event were handed over without starting where the runner's last read ended.
   */
  @Test
  void aLocalPublishAfterAGapIsFetchedInLogOrder() {
    List<Event> seen = new CopyOnWriteArrayList<>();
    MemoryEngine store = new MemoryEngine();
    Notifying engine = idleNotified(store, seen::add);
    int p = Topics.partitionOf("k", PARTITIONS);
    long before = engine.fetches(p);
    otherProcess(store).topics().publish("t", Message.of("k", new byte[] {7}));
    tito.topics().publish("t", Message.of("k", new byte[] {8}));
    engine.listener.changed(p + ":t");
    Await.until("delivered", () -> seen.size() == 2);
    assertThat(seen).extracting(e -> (int) e.payload()[0]).containsExactly(7, 8);
    assertThat(engine.fetches(p)).as("fetches of the partition").isGreaterThan(before);
  }

  /**
   * Two local commits whose wake-ups run out of position order: the runner hands over neither
   * until the first one's comes, then both, in order, without a fetch. Fails if a gap before a
   * kept event always made the runner fetch. (The runner waits for a gap's wake-up for up to
   * 200 ms; this thread lets the first wake-up go right after the second publish returns.)
   */
  @Test
  void aLocalGapIsAwaitedRatherThanFetched() throws Exception {
    List<Event> seen = new CopyOnWriteArrayList<>();
    Notifying engine = idleNotified(new MemoryEngine(), seen::add);
    int p = Topics.partitionOf("k", PARTITIONS);
    int other = (p + 1) % PARTITIONS;
    long before = engine.fetches(p);
    long otherBefore = engine.fetches(other);
    CountDownLatch committed = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    Thread first = publishHeld((byte) 0, committed, goOn);
    committed.await();
    tito.topics().publish("t", Message.of("k", new byte[] {1})); // position 1, woken first
    goOn.countDown();
    first.join();
    Await.until("delivered", () -> seen.size() == 2);
    assertThat(seen).extracting(e -> (int) e.payload()[0]).containsExactly(0, 1);
    awaitHeartbeats(engine, 3);
    long fallbacks = engine.fetches(other) - otherBefore;
    assertThat(engine.fetches(p) - before - fallbacks).as("fetches of the partition").isZero();
  }

  /**
   * A gap whose wake-up never comes (here held back for the whole test, as a commit whose caller
   * lost its connection during the commit never runs its wake-up) is waited for only briefly:
   * the runner then fetches and delivers what the log holds, in order. Fails if the runner waited
   * for the gap's wake-up until the fallback poll (a minute away).
   */
  @Test
  void aGapWhoseWakeUpNeverComesIsFetchedAfterABriefWait() throws Exception {
    List<Event> seen = new CopyOnWriteArrayList<>();
    Notifying engine = idleNotified(new MemoryEngine(), seen::add);
    CountDownLatch committed = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    Thread first = publishHeld((byte) 0, committed, goOn);
    try {
      committed.await();
      tito.topics().publish("t", Message.of("k", new byte[] {1}));
      Await.until("delivered while the first wake-up is held", () -> seen.size() == 2);
      assertThat(seen).extracting(e -> (int) e.payload()[0]).containsExactly(0, 1);
    } finally {
      goOn.countDown();
      first.join();
    }
  }

  /**
   * Other news for the partition since the runner's last read (here a wake-up that names it, as a
   * requeued dead letter or another process's commit would) makes it fetch, even for a local
   * publish it could have taken over. Both arrive while the handler of the event before is busy,
   * so the runner's next step sees them together. Fails without the check of other news.
   */
  @Test
  void otherNewsMakesTheRunnerFetchRatherThanTakeOver() throws Exception {
    List<Event> seen = new CopyOnWriteArrayList<>();
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    Notifying engine = new Notifying(new MemoryEngine());
    open(engine, e -> {
      if (e.payload()[0] == 1) {
        inHandler.countDown();
        goOn.await();
      }
      seen.add(e);
    });
    engine.listener.listening(true);
    engine.listener.changed(null);
    awaitHeartbeats(engine, 3);
    int p = Topics.partitionOf("k", PARTITIONS);
    tito.topics().publish("t", Message.of("k", new byte[] {1}));
    inHandler.await();
    long before = engine.fetches(p);
    Signals.of(engine).wake("t", p);
    tito.topics().publish("t", Message.of("k", new byte[] {2}));
    goOn.countDown();
    Await.until("delivered", () -> seen.size() == 2);
    assertThat(seen).extracting(e -> (int) e.payload()[0]).containsExactly(1, 2);
    assertThat(engine.fetches(p)).as("fetches of the partition").isGreaterThan(before);
  }

  /**
   * Opens the test's subscription on a {@link Notifying} engine over {@code store} whose
   * notifications are healthy, and waits until its partitions are idle.
   */
  private Notifying idleNotified(MemoryEngine store, EventHandler handler) {
    Notifying engine = new Notifying(store);
    open(engine, handler);
    engine.listener.listening(true);
    engine.listener.changed(null);
    awaitHeartbeats(engine, 3);
    return engine;
  }

  /**
   * Publishes {@code payload} on a thread of its own, in a transaction whose first after-commit
   * action (registered before the publish's wake-up, so it runs first) counts {@code committed}
   * down and holds the wake-up back until {@code goOn}.
   */
  private Thread publishHeld(byte payload, CountDownLatch committed, CountDownLatch goOn) {
    return Thread.ofPlatform().start(() -> tito.inTransaction(tx -> {
      tx.afterCommit(() -> {
        committed.countDown();
        try {
          goOn.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      tito.topics().publish(tx, "t", Message.of("k", new byte[] {payload}));
    }));
  }

  /** Another process on the same store: its commits do not wake this process's runners. */
  private Tito otherProcess(MemoryEngine store) {
    Tito other = Tito.open(new ForwardingEngine(store) {
      @Override
      public void close() {
        // the store is this test's engine's
      }
    });
    others.add(other);
    return other;
  }
}
