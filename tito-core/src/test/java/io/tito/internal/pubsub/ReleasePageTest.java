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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A release asks the engine for about as many due keys as it will move (a server engine transfers
 * a scan's limit as one page), not for its whole limit: a runner that keeps up finds a few events
 * due per release while thousands wait behind them. A backlog larger than that first scan still
 * goes in one release, up to the limit, with the next due time after it.
 */
class ReleasePageTest {

  private static final int FETCH = 10;
  private static final int LIMIT = PartitionSource.RELEASE_FETCHES * FETCH;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Keys keys = new Keys(new io.tito.tuple.Subspace(io.tito.tuple.Tuple.of("tito")));
  private final KeyRange due = keys.dueRange("t", 0);
  /** The limits that write transactions (releases) asked for when scanning the due range. */
  private final List<Integer> releaseScanLimits = new ArrayList<>();
  private final Tito tito = Tito.builder().engine(new ForwardingEngine(new MemoryEngine()) {
    @Override
    public EngineTransaction begin(boolean readOnly) {
      return new ForwardingEngineTransaction(super.begin(readOnly)) {
        @Override
        public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
          if (!readOnly && (due.contains(begin) || java.util.Arrays.equals(begin, due.begin()))) {
            synchronized (releaseScanLimits) {
              releaseScanLimits.add(options.limit());
            }
          }
          return super.scan(begin, end, options);
        }
      };
    }
  }).clock(clock).build();
  private final Context ctx = new Context(tito, clock);
  private final Publisher publisher = new Publisher(ctx);
  private final PartitionSource source = new PartitionSource(ctx, publisher, "t", "g", 0, FETCH, null);
  private Instant start;

  @BeforeEach
  void topic() {
    publisher.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    new Groups(ctx, publisher).register("t", "g", StartPosition.EARLIEST);
    start = clock.instant();
  }

  @AfterEach
  void close() {
    tito.close();
  }

  /** Schedules {@code n} events due 1 ms apart from {@code first} ms after the start on. */
  private void schedule(int first, int n) {
    tito.inTransaction(tx -> {
      for (int i = first; i < first + n; i++) {
        publisher.publish(tx, "t", Message.of("k" + i, new byte[] {1})
            .deliverAt(start.plusMillis(1_000 + i)));
      }
    });
  }

  private int scannedLimits() {
    synchronized (releaseScanLimits) {
      int sum = releaseScanLimits.stream().mapToInt(Integer::intValue).sum();
      releaseScanLimits.clear();
      return sum;
    }
  }

  @Test
  void aReleaseAsksForTheKeysItWillProbablyMoveNotForItsLimit() {
    schedule(0, 200);
    source.fetch(clock.instant());
    clock.advance(Duration.ofMillis(1_002)); // 3 due (1,000-1,002 ms)
    source.releaseDue();
    assertThat(source.fetch(clock.instant(), -1).items()).hasSize(3);
    assertThat(scannedLimits()).as("keys asked for by the first release (limit %d)", LIMIT)
        .isLessThanOrEqualTo(3 + PartitionSource.EXPECTED_DUE_MARGIN + 1);
    clock.advance(Duration.ofMillis(4)); // 4 more due
    source.releaseDue();
    assertThat(source.fetch(clock.instant(), 3).items()).hasSize(4);
    assertThat(scannedLimits()).as("keys asked for by the second release")
        .isLessThanOrEqualTo(3 + 3 / 2 + PartitionSource.EXPECTED_DUE_MARGIN + 1);
  }

  @Test
  void aBacklogBeyondTheFirstScanGoesInOneReleaseUpToTheLimit() {
    schedule(0, LIMIT + 5);
    source.fetch(clock.instant());
    clock.advance(Duration.ofMillis(1_000 + LIMIT + 10)); // all due
    source.releaseDue();
    assertThat(scannedLimits()).as("a first scan and one for the rest")
        .isGreaterThan(LIMIT);
    Source.Fetch f = source.fetch(clock.instant(), -1);
    assertThat(f.items()).hasSize(FETCH);
    assertThat(f.dueNow()).as("five left for the next release").isTrue();
    assertThat(f.nextDue()).isEqualTo(start.plusMillis(1_000 + LIMIT));
    source.releaseDue();
    Source.Fetch rest = source.fetch(clock.instant(), LIMIT);
    assertThat(rest.items()).extracting(Item::position)
        .containsExactly((long) LIMIT, LIMIT + 1L, LIMIT + 2L, LIMIT + 3L, LIMIT + 4L);
    assertThat(rest.nextDue()).isNull();
  }

  @Test
  void aSecondScanFindsTheNextDueTimeWhenEveryKeyOfTheFirstWasDue() {
    schedule(0, PartitionSource.EXPECTED_DUE_MARGIN + 1);
    schedule(100, 1);
    source.fetch(clock.instant());
    clock.advance(Duration.ofMillis(1_050)); // the first 17 due, the last one at 1,100 ms not
    source.releaseDue();
    Source.Fetch f = source.fetch(clock.instant(), -1);
    assertThat(f.items()).hasSize(FETCH);
    assertThat(f.dueNow()).isFalse();
    assertThat(f.nextDue()).isEqualTo(start.plusMillis(1_100));
    clock.advance(Duration.ofMillis(50));
    source.releaseDue();
    assertThat(source.fetch(clock.instant(), PartitionSource.EXPECTED_DUE_MARGIN + 1).items())
        .hasSize(1);
  }
}
