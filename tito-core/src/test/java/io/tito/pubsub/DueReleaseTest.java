package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.KeyRange;
import io.tito.KeyValueCursor;
import io.tito.ManualClock;
import io.tito.ScanOptions;
import io.tito.Tito;
import io.tito.internal.pubsub.Keys;
import io.tito.memory.MemoryEngine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A partition's runner releases the scheduled events that fell due before its fetch, so that one
 * fetch after the due time reads them: releasing after a fetch that found them due left them for
 * the fetch after that, a whole round of handling later (issue 16, scheduled delivery lateness).
 */
class DueReleaseTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Keys keys = new Keys(new io.tito.tuple.Subspace(io.tito.tuple.Tuple.of("tito")));
  private final KeyRange log = keys.logRange("t", 0);
  private final KeyRange due = keys.dueRange("t", 0);
  private final byte[] state = keys.state("t", "g", 0);
  /** Committed transactions that moved the group's checkpoint and released due events. */
  private final AtomicInteger checkpointsWithRelease = new AtomicInteger();
  /** The manual clock's time at each read of the partition's log (a fetch). */
  private final List<Instant> logReads = new CopyOnWriteArrayList<>();
  private final Tito tito = Tito.builder().engine(new ForwardingEngine(new MemoryEngine()) {
    @Override
    public EngineTransaction begin(boolean readOnly) {
      return new ForwardingEngineTransaction(super.begin(readOnly)) {
        @Override
        public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
          if (log.contains(begin)) {
            logReads.add(clock.instant());
          }
          return super.scan(begin, end, options);
        }

        private boolean released;
        private boolean checkpointed;

        @Override
        public void clear(byte[] key) {
          released |= due.contains(key);
          super.clear(key);
        }

        @Override
        public void set(byte[] key, byte[] value) {
          checkpointed |= Arrays.equals(key, state);
          super.set(key, value);
        }

        @Override
        public void commit() {
          super.commit();
          if (released && checkpointed) {
            checkpointsWithRelease.incrementAndGet();
          }
        }
      };
    }
  }).clock(clock).build();
  private final Topics topics = tito.topics();
  private Subscription sub;

  @AfterEach
  void close() {
    if (sub != null) {
      sub.close(Duration.ofSeconds(5));
    }
    tito.close();
  }

  private static String text(Event e) {
    return new String(e.payload(), StandardCharsets.UTF_8);
  }

  private long readsFrom(Instant t) {
    return logReads.stream().filter(r -> !r.isBefore(t)).count();
  }

  @Test
  void oneFetchAfterTheDueTimeReadsTheReleasedEvent() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    Instant due = clock.instant().plus(Duration.ofHours(1));
    topics.publish("t", Message.of("k", "reminder".getBytes(StandardCharsets.UTF_8)).deliverAt(due));
    AtomicInteger readsBeforeReminder = new AtomicInteger(-1);
    List<String> seen = new CopyOnWriteArrayList<>();
    // Polls an hour apart: the runner looks again only when woken (or its wait ends). Leases
    // outlast the clock's jump: a lease run out would restart the runner, which knows nothing due.
    sub = topics.subscribe("t", "g", e -> {
      if (text(e).equals("reminder")) {
        readsBeforeReminder.set((int) readsFrom(due));
      }
      seen.add(text(e));
    }, Await.fast().pollInterval(Duration.ofHours(1))
        .leaseTimeout(Duration.ofHours(3)).build());
    // Once this is handled, the runner has fetched and knows when the reminder falls due.
    topics.publish("t", Message.of("k", "first".getBytes(StandardCharsets.UTF_8)));
    Await.until("first delivered", () -> seen.contains("first"));
    clock.advance(Duration.ofHours(1));
    // Wakes the runner, which finds the reminder due.
    topics.publish("t", Message.of("k", "nudge".getBytes(StandardCharsets.UTF_8)));
    Await.until("reminder delivered", () -> seen.contains("reminder"));
    assertThat(readsBeforeReminder.get())
        .as("log reads from the due time until the reminder was handled")
        .isEqualTo(1);
  }

  /**
   * A batch handled while more events are due has its checkpoint committed in the transaction of
   * the next release, not in one of its own: one commit per round (a commit is the costly part of
   * a round on a SQL engine). 80 due events, fetch size 5, 20 per release (four fetch sizes):
   * the first three releases' runs go with the next release; the last, with nothing more due,
   * commits alone.
   */
  @Test
  void aBatchsCheckpointCommitsWithTheNextRelease() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    Instant due = clock.instant().plus(Duration.ofSeconds(1));
    for (int i = 0; i < 80; i++) {
      topics.publish("t", Message.of("k" + i, new byte[] {(byte) i}).deliverAt(due));
    }
    clock.advance(Duration.ofSeconds(2));
    Map<Byte, Integer> deliveries = new ConcurrentHashMap<>();
    sub = topics.subscribeBatches("t", "g", events -> {
      for (Event e : events) {
        deliveries.merge(e.payload()[0], 1, Integer::sum);
      }
    }, Await.fast().fetchSize(5).start(StartPosition.EARLIEST).build());
    Await.until("all delivered", () -> deliveries.size() == 80);
    assertThat(deliveries.values()).allMatch(n -> n == 1);
    assertThat(checkpointsWithRelease.get()).isGreaterThanOrEqualTo(3);
  }
  /**
   * Events a release moves into the log are handed to the handler without a fetch when they are
   * the next items (the runner read and handled everything before them, and nothing but its own
   * releases signalled since): 20 due events, fetch size 5, are read from the log once (the
   * first fetch, which finds them due), not once after every release (5 reads before, the fetch
   * read what the release had just written). Also checks exactly-once and order.
   */
  @Test
  void releasedEventsAreHandedOverWithoutAFetch() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    Instant due = clock.instant().plus(Duration.ofSeconds(1));
    for (int i = 0; i < 20; i++) {
      topics.publish("t", Message.of("k" + i, new byte[] {(byte) i})
          .deliverAt(due.plusMillis(i)));
    }
    clock.advance(Duration.ofSeconds(2));
    List<Byte> order = new CopyOnWriteArrayList<>();
    sub = topics.subscribeBatches("t", "g", events -> {
      for (Event e : events) {
        order.add(e.payload()[0]);
      }
    }, Await.fast().fetchSize(5).start(StartPosition.EARLIEST).build());
    Await.until("all delivered", () -> order.size() >= 20);
    assertThat(order).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(order.get(i)).isEqualTo((byte) i);
    }
    // The first fetch, and at most one more if something else woke the partition meanwhile.
    assertThat(logReads).as("log reads while 20 events were released 5 at a time").hasSizeLessThanOrEqualTo(2);
  }
}
