package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ByteArrays;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After releasing due events, a partition's runner looks for the next due event after the
 * entries it released (deleted keys that only slow scans down), not from the start of the range.
 */
class DueScanTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Keys keys = new Keys(new io.tito.tuple.Subspace(io.tito.tuple.Tuple.of("tito")));
  private final KeyRange due = keys.dueRange("t", 0);
  private final List<byte[]> dueScanStarts = new CopyOnWriteArrayList<>();
  private final Tito tito = Tito.builder().engine(new ForwardingEngine(new MemoryEngine()) {
    @Override
    public EngineTransaction begin(boolean readOnly) {
      return new ForwardingEngineTransaction(super.begin(readOnly)) {
        @Override
        public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
          if (due.contains(begin) || java.util.Arrays.equals(begin, due.begin())) {
            dueScanStarts.add(begin);
          }
          return super.scan(begin, end, options);
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

  @Test
  void lookingForTheNextDueEventStartsAfterTheReleasedOnes() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    for (int i = 1; i <= 3; i++) {
      topics.publish("t", Message.of("k", new byte[] {(byte) i})
          .deliverAt(clock.instant().plus(Duration.ofSeconds(i))));
    }
    // One more, far later: it stays in the due range, so runners keep looking at it.
    topics.publish("t", Message.of("k", new byte[] {9}).deliverAt(clock.instant().plus(Duration.ofDays(1))));
    List<Event> seen = new CopyOnWriteArrayList<>();
    sub = topics.subscribe("t", "g", seen::add, Await.fast().build());
    clock.advance(Duration.ofSeconds(5));
    Await.until("three delivered", () -> seen.size() == 3);
    int from = dueScanStarts.size();
    Await.until("two more looks for due events", () -> dueScanStarts.size() >= from + 2);
    for (byte[] begin : dueScanStarts.subList(from, dueScanStarts.size())) {
      assertThat(ByteArrays.compare(begin, due.begin())).as("scan starts after the released entries")
          .isGreaterThan(0);
    }
  }
}
