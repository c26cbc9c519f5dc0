package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.KeyRange;
import io.tito.KeyValueCursor;
import io.tito.ManualClock;
import io.tito.ScanOptions;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Message;
import io.tito.pubsub.StartPosition;
import io.tito.pubsub.TopicConfig;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A release's scan reads one due key past those it moves, so the fetch right after it takes the
 * next due time from the release instead of scanning the due range again (one query less per
 * round while events keep falling due); a fetch without a release before it still looks.
 */
class ReleaseScanTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Keys keys = new Keys(new io.tito.tuple.Subspace(io.tito.tuple.Tuple.of("tito")));
  private final KeyRange due = keys.dueRange("t", 0);
  /** Scans of the due range in read-only transactions (fetches). */
  private final AtomicInteger fetchDueScans = new AtomicInteger();
  private final Tito tito = Tito.builder().engine(new ForwardingEngine(new MemoryEngine()) {
    @Override
    public EngineTransaction begin(boolean readOnly) {
      return new ForwardingEngineTransaction(super.begin(readOnly)) {
        @Override
        public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
          if (readOnly && (due.contains(begin) || java.util.Arrays.equals(begin, due.begin()))) {
            fetchDueScans.incrementAndGet();
          }
          return super.scan(begin, end, options);
        }
      };
    }
  }).clock(clock).build();
  private final Context ctx = new Context(tito, clock);
  private final Publisher publisher = new Publisher(ctx);
  private final PartitionSource source = new PartitionSource(ctx, publisher, "t", "g", 0, 10, null);

  @AfterEach
  void close() {
    tito.close();
  }

  @Test
  void aFetchAfterAReleaseTakesTheNextDueTimeTheReleaseFound() {
    publisher.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    new Groups(ctx, publisher).register("t", "g", StartPosition.EARLIEST);
    Instant start = clock.instant();
    for (int i = 1; i <= 3; i++) {
      Instant at = start.plusSeconds(i);
      tito.inTransaction(tx -> publisher.publish(tx, "t", Message.of("k", new byte[] {1}).deliverAt(at)));
    }
    // A runner's first fetch (which also starts the periodic rescan from the due range's start).
    assertThat(source.fetch(clock.instant()).nextDue()).isEqualTo(start.plusSeconds(1));
    clock.advance(Duration.ofMillis(1_500));
    source.releaseDue();
    int scans = fetchDueScans.get();
    Source.Fetch f = source.fetch(clock.instant());
    assertThat(f.items()).hasSize(1);
    assertThat(f.nextDue()).isEqualTo(start.plusSeconds(2));
    assertThat(f.dueNow()).isFalse();
    assertThat(fetchDueScans.get()).as("no second look at the due range").isEqualTo(scans);
    Source.Fetch again = source.fetch(clock.instant());
    assertThat(again.nextDue()).isEqualTo(start.plusSeconds(2));
    assertThat(fetchDueScans.get()).as("a fetch without a release looks").isEqualTo(scans + 1);
  }

  @Test
  void aReleaseCappedAtItsLimitLeavesTheNextEventDue() {
    publisher.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    new Groups(ctx, publisher).register("t", "g", StartPosition.EARLIEST);
    Instant at = clock.instant().plusSeconds(1);
    int limit = PartitionSource.RELEASE_FETCHES * 10; // the release's limit: four fetch sizes
    for (int i = 0; i < limit + 2; i++) {
      tito.inTransaction(tx -> publisher.publish(tx, "t", Message.of("k", new byte[] {1}).deliverAt(at)));
    }
    clock.advance(Duration.ofSeconds(2));
    source.releaseDue();
    Source.Fetch f = source.fetch(clock.instant());
    assertThat(f.items()).hasSize(10);
    assertThat(f.dueNow()).as("two more due than the release's limit").isTrue();
    source.releaseDue();
    Source.Fetch rest = source.fetch(clock.instant(), limit);
    assertThat(rest.items()).hasSize(2);
    assertThat(rest.nextDue()).isNull();
  }
}
