package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ManualClock;
import io.tito.RangeRead;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a release transaction asks the engine, counting each read call as the round trip it is on
 * a SQL engine (issue 16): a fenced release reads the lease, the group state and the due range's
 * first page in one call; and it reads the clock after that scan's first page, so an event
 * falling due while the page was read goes in the same release.
 */
class ReleaseRoundTripsTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Keys keys = new Keys(new io.tito.tuple.Subspace(io.tito.tuple.Tuple.of("tito")));
  private final KeyRange due = keys.dueRange("t", 0);
  private final byte[] lease = keys.lease("t", "g", 0);
  /** Read calls (get, getAll, scan) of each committed fenced release (it read the lease). */
  private final List<Integer> fencedReleaseReads = new CopyOnWriteArrayList<>();
  /** How long each scan of the due range takes on the manual clock (a slow round trip). */
  private volatile Duration dueScanTakes = Duration.ZERO;
  private final Tito tito = Tito.builder().engine(new ForwardingEngine(new MemoryEngine()) {
    @Override
    public EngineTransaction begin(boolean readOnly) {
      EngineTransaction inner = super.begin(readOnly);
      return new ForwardingEngineTransaction(inner) {
        private int reads;
        private boolean fenced;
        private boolean released;

        @Override
        public byte[] get(byte[] key) {
          reads++;
          fenced |= java.util.Arrays.equals(key, lease);
          return super.get(key);
        }

        @Override
        public List<byte[]> getAll(List<byte[]> keys) {
          reads++;
          for (byte[] k : keys) {
            fenced |= java.util.Arrays.equals(k, lease);
          }
          return super.getAll(keys);
        }

        @Override
        public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
          reads++;
          if (due.contains(begin)) {
            clock.advance(dueScanTakes);
          }
          return super.scan(begin, end, options);
        }

        @Override
        public List<List<KeyValue>> scanAll(List<RangeRead> all) {
          reads++;
          for (RangeRead r : all) {
            fenced |= java.util.Arrays.equals(r.range().begin(), lease);
            if (due.contains(r.range().begin())) {
              clock.advance(dueScanTakes);
            }
          }
          return inner.scanAll(all);
        }

        @Override
        public void clear(byte[] key) {
          released |= due.contains(key);
          super.clear(key);
        }

        @Override
        public void commit() {
          super.commit();
          if (released && fenced && !readOnly) {
            fencedReleaseReads.add(reads);
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

  /**
   * 12 events due (fewer than a release's first due scan asks for, so one scan finds them and the
   * key after), handed over in batches of 5: every fenced release is one read call (lease, state
   * and the due scan's first page together), where reading lease and state apart, then the due
   * range, made three, and the fence's multi-get then the due scan two.
   */
  @Test
  void aFencedReleaseReadsLeaseStateAndDueKeysInOneCall() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    Instant at = clock.instant().plus(Duration.ofSeconds(1));
    for (int i = 0; i < 12; i++) {
      topics.publish("t", Message.of("k" + i, new byte[] {(byte) i}).deliverAt(at.plusMillis(i)));
    }
    clock.advance(Duration.ofSeconds(2));
    Map<Byte, Integer> deliveries = new ConcurrentHashMap<>();
    sub = topics.subscribeBatches("t", "g", events -> {
      for (Event e : events) {
        deliveries.merge(e.payload()[0], 1, Integer::sum);
      }
    }, Await.fast().fetchSize(5).start(StartPosition.EARLIEST).build());
    Await.until("all delivered", () -> deliveries.size() == 12);
    assertThat(deliveries.values()).allMatch(n -> n == 1);
    assertThat(fencedReleaseReads).as("fenced releases").isNotEmpty();
    assertThat(fencedReleaseReads).as("read calls per fenced release").allMatch(n -> n == 1);
  }

  /**
   * Two events, the second due 5 ms after the first; the release starts when the first is due and
   * its due scan takes 10 ms: both go in that release (read once the page is in, the clock says
   * both are due), and nothing goes before its due time.
   */
  @Test
  void aReleaseTakesWhatFellDueWhileItsScanRan() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    Instant first = clock.instant().plus(Duration.ofSeconds(1));
    topics.publish("t", Message.of("a", new byte[] {1}).deliverAt(first));
    topics.publish("t", Message.of("b", new byte[] {2}).deliverAt(first.plusMillis(5)));
    topics.publish("t", Message.of("c", new byte[] {3}).deliverAt(first.plusSeconds(60)));
    clock.advance(Duration.ofSeconds(1));
    dueScanTakes = Duration.ofMillis(10);
    assertThat(tito.topics().releaseDue("t", 0, 10)).as("events moved by one release").isEqualTo(2);
    assertThat(tito.topics().read("t", 0, 0, 10)).hasSize(2);
  }
}
