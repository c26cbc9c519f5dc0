package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ManualClock;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Message;
import io.tito.pubsub.StartPosition;
import io.tito.pubsub.TopicConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartitionSourceTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Tito tito = Tito.open(new MemoryEngine());
  private final Context ctx = new Context(tito, clock);
  private final Publisher publisher = new Publisher(ctx);
  private final DeadLetters deadLetters = new DeadLetters(ctx);
  private final PartitionSource source = new PartitionSource(ctx, publisher, "t", "g", 0, 10, null);

  @AfterEach
  void close() {
    tito.close();
  }

  private void publish(String payload) {
    tito.inTransaction(tx -> publisher.publish(tx, "t",
        Message.of("k", payload.getBytes(StandardCharsets.UTF_8))));
  }

  private void setUp(int events) {
    publisher.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    for (int i = 0; i < events; i++) {
      publish("e" + i);
    }
    new Groups(ctx, publisher).register("t", "g", StartPosition.EARLIEST);
  }

  private static List<Long> positions(Source.Fetch f) {
    return f.items().stream().map(Item::position).toList();
  }

  @Test
  void readsTheLogFromTheCheckpointWithTheHeadsAttemptCount() {
    setUp(3);
    tito.inTransaction(tx -> tx.set(ctx.keys.state("t", "g", 0),
        new GroupState(1, 2, 0, 99, "boom").encode()));
    Source.Fetch f = source.fetch(clock.instant());
    assertThat(positions(f)).containsExactly(1L, 2L);
    assertThat(f.items()).noneMatch(Item::requeued);
    assertThat(f.items().get(0).attempts()).isEqualTo(2);
    assertThat(f.items().get(0).retryAtMillis()).isEqualTo(99);
    assertThat(f.items().get(1).attempts()).isZero();
    assertThat(f.state().checkpoint()).isEqualTo(1);
  }

  @Test
  void requeuedEntriesComeBeforeLogEventsAndAloneInTheirFetch() {
    setUp(3);
    UUID id = UUID.randomUUID();
    tito.inTransaction(tx -> deadLetters.write(tx, "t", "g", 0, 7, id,
        tito.read(r -> publisher.readStored(r, "t", 0, 0, 1)).get(0).bytes(), "boom", 3));
    deadLetters.requeue("t", "g", id);
    Source.Fetch f = source.fetch(clock.instant());
    assertThat(f.items()).hasSize(1);
    Item first = f.items().get(0);
    assertThat(first.requeued()).isTrue();
    assertThat(first.requeueId()).isEqualTo(id);
    assertThat(first.position()).isEqualTo(7);
    assertThat(first.attempts()).as("a requeued entry starts its own count").isZero();
    assertThat(f.drained()).as("the log was not read behind a requeued entry").isFalse();
    tito.inTransaction(tx -> tx.clear(ctx.keys.requeued("t", "g", 0, first.requeueNumber())));
    Source.Fetch log = source.fetch(clock.instant());
    assertThat(positions(log)).containsExactly(0L, 1L, 2L);
    assertThat(log.drained()).isTrue();
  }

  @Test
  void aFetchIsDrainedOnlyWhenTheLogEndedBeforeTheFetchSize() {
    setUp(10);
    Source.Fetch full = source.fetch(clock.instant());
    assertThat(full.items()).hasSize(10);
    assertThat(full.drained()).as("a full fetch may have more behind it").isFalse();
    tito.inTransaction(tx -> tx.set(ctx.keys.state("t", "g", 0), new GroupState(9, 0, 0, 0, null).encode()));
    Source.Fetch shortFetch = source.fetch(clock.instant());
    assertThat(positions(shortFetch)).containsExactly(9L);
    assertThat(shortFetch.drained()).isTrue();
  }

  @Test
  void findsDueScheduledEventsAndReleasesThemIntoTheLog() {
    setUp(0);
    Instant due = clock.instant().plusSeconds(5);
    tito.inTransaction(tx -> publisher.publish(tx, "t",
        Message.of("k", new byte[] {1}).deliverAt(due)));
    Source.Fetch before = source.fetch(clock.instant());
    assertThat(before.items()).isEmpty();
    assertThat(before.dueNow()).isFalse();
    assertThat(before.nextDue()).isEqualTo(due);
    clock.advance(Duration.ofSeconds(5));
    Source.Fetch at = source.fetch(clock.instant());
    assertThat(at.dueNow()).isTrue();
    source.releaseDue();
    Source.Fetch after = source.fetch(clock.instant());
    assertThat(positions(after)).containsExactly(0L);
    assertThat(after.nextDue()).isNull();
  }

  /**
   * A release while behind moves up to four fetch sizes of due events (35 with a fetch size of
   * 10: all of them), so a backlog drains in fewer releases; a fetch still reads the fetch size.
   * Fails on a release bounded by the fetch size (10 moved, 25 still due).
   */
  @Test
  void aReleaseMovesUpToFourFetchSizesOfDueEvents() {
    setUp(0);
    Instant due = clock.instant().plusSeconds(1);
    tito.inTransaction(tx -> {
      for (int i = 0; i < 35; i++) {
        publisher.publish(tx, "t", Message.of("k", new byte[] {(byte) i}).deliverAt(due));
      }
    });
    clock.advance(Duration.ofSeconds(1));
    source.releaseDue();
    Source.Fetch after = source.fetch(clock.instant());
    assertThat(after.items()).as("a fetch reads the fetch size").hasSize(10);
    assertThat(after.dueNow()).as("scheduled events still due after one release").isFalse();
    assertThat(after.nextDue()).isNull();
  }

  /**
   * A log reader whose entries are held back ({@link LogReader.Batch#held}) makes the fetch due
   * again soon, so an idle runner looks again instead of waiting for a wake-up; it is asked
   * {@link LogReader#beforeReads} first in the fetch transaction.
   */
  @Test
  void aLogWithHeldEntriesIsDueAgainSoonAndIsAskedBeforeTheFirstRead() {
    setUp(0);
    java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger before = new java.util.concurrent.atomic.AtomicInteger();
    LogReader log = new LogReader() {
      @Override
      public List<Entry> read(io.tito.Transaction tx, long from, int limit) {
        return List.of();
      }

      @Override
      public Batch readBatch(io.tito.Transaction tx, long from, int limit) {
        return new Batch(List.of(), held.get());
      }

      @Override
      public void beforeReads(io.tito.Transaction tx) {
        before.incrementAndGet();
      }
    };
    PartitionSource logSource = new PartitionSource(ctx, publisher, "t", "g", 0, 10, log);
    Source.Fetch f = logSource.fetch(clock.instant());
    assertThat(f.items()).isEmpty();
    assertThat(f.nextDue()).as("held entries: due again soon")
        .isEqualTo(clock.instant().plusMillis(PartitionSource.HELD_RETRY_MILLIS));
    assertThat(f.dueNow()).isFalse();
    assertThat(before).hasValue(1);
    held.set(false);
    assertThat(logSource.fetch(clock.instant()).nextDue()).as("nothing held: wait for a wake-up").isNull();
  }
}
