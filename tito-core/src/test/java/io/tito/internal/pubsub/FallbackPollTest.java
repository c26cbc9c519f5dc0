package io.tito.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tito.KeyRange;
import io.tito.KeyValueCursor;
import io.tito.ManualClock;
import io.tito.ScanOptions;
import io.tito.Tito;
import io.tito.memory.MemoryEngine;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While wake-ups are complete, an idle worker reads all its partitions in one transaction per
 * fallback interval (not one per partition), and that read delivers work whose wake-up was lost.
 * Time is a {@link ManualClock} moved past the interval; transactions are counted by an engine
 * wrapper; nothing waits on time.
 */
class FallbackPollTest {

  private static final int PARTITIONS = 8;
  /** Past the fallback interval, whatever its jitter. */
  private static final Duration PAST_FALLBACK = Duration.ofMillis(Signals.FALLBACK_POLL_MILLIS + 1);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final MemoryEngine memory = new MemoryEngine();
  private final Counting engine = new Counting(memory);
  private final Tito tito = Tito.builder().engine(engine).clock(clock).build();
  private final Topics topics = tito.topics();
  private final Keys keys = new Keys(tito.root());
  private final List<Event> seen = new CopyOnWriteArrayList<>();
  private Subscription sub;

  @AfterEach
  void close() {
    if (sub != null) {
      sub.close(Duration.ofSeconds(5));
    }
    tito.close();
  }

  /** Counts read-only transactions, fallback reads (log heads read), runner fetches (log scans), heartbeats. */
  private final class Counting extends ForwardingEngine {
    final AtomicLong reads = new AtomicLong();
    final AtomicLong fallbackReads = new AtomicLong();
    final AtomicLong logScans = new AtomicLong();
    final AtomicLong heartbeats = new AtomicLong();

    Counting(Engine delegate) {
      super(delegate);
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      if (readOnly) {
        reads.incrementAndGet();
      }
      return new ForwardingEngineTransaction(super.begin(readOnly)) {
        @Override
        public List<byte[]> getAll(List<byte[]> keyList) {
          if (keyList.stream().anyMatch(k -> Arrays.equals(k, keys.seq("t", 0)))) {
            fallbackReads.incrementAndGet();
          }
          return super.getAll(keyList);
        }

        @Override
        public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
          for (int p = 0; p < PARTITIONS; p++) {
            KeyRange log = keys.logRange("t", p);
            if (Arrays.compareUnsigned(begin, log.begin()) >= 0
                && Arrays.compareUnsigned(begin, log.end()) < 0) {
              logScans.incrementAndGet();
            }
          }
          if (Arrays.equals(begin, keys.membersRange("t", "g").begin())) {
            heartbeats.incrementAndGet();
          }
          return super.scan(begin, end, options);
        }
      };
    }
  }

  /** Subscribes group g to an idle topic t and waits until every partition's runner waits. */
  private void subscribeAndIdle() {
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(PARTITIONS));
    sub = topics.subscribe("t", "g", seen::add, SubscribeOptions.builder()
        .pollInterval(Duration.ofMillis(50))
        .heartbeatInterval(Duration.ofMillis(20))
        .leaseTimeout(Duration.ofSeconds(10))
        .retentionInterval(Duration.ofDays(1))
        .build());
    until("all partitions owned", () -> sub.ownedPartitions().size() == PARTITIONS);
    for (int p = 0; p < PARTITIONS; p++) {
      int partition = p;
      until("partition " + p + " waits", () -> Signals.of(engine).waiting("t", partition));
    }
  }

  private void awaitHeartbeats(int n) {
    long from = engine.heartbeats.get();
    until(n + " heartbeats", () -> engine.heartbeats.get() >= from + n);
  }

  @Test
  void anIdleWorkerReadsAllItsPartitionsInOneTransactionPerFallbackInterval() {
    subscribeAndIdle();
    for (int round = 1; round <= 2; round++) {
      long fallbackReads = engine.fallbackReads.get();
      long reads = engine.reads.get();
      long logScans = engine.logScans.get();
      clock.advance(PAST_FALLBACK);
      until("fallback read " + round, () -> engine.fallbackReads.get() > fallbackReads);
      awaitHeartbeats(5);
      assertThat(engine.fallbackReads.get() - fallbackReads).as("fallback reads").isEqualTo(1);
      assertThat(engine.reads.get() - reads).as("read-only transactions").isEqualTo(1);
      assertThat(engine.logScans.get() - logScans).as("runner fetches (nothing to do)").isZero();
    }
  }

  @Test
  void workWhoseWakeUpWasLostIsDeliveredByTheFallbackRead() {
    subscribeAndIdle();
    // Another store on the same data, with its own wake-ups: its publish wakes nobody here, as if
    // the notification from another process were lost.
    Tito other = Tito.builder().engine(new ForwardingEngine(memory) {
      @Override
      public void close() {
        // the data stays open for the store under test
      }
    }).clock(clock).build();
    try {
      other.topics().publish("t", Message.of("k", new byte[] {7}));
      int p = Topics.partitionOf("k", PARTITIONS);
      assertThat(Signals.of(engine).waiting("t", p)).as("runner of partition " + p + " not woken").isTrue();
      clock.advance(PAST_FALLBACK);
      until("delivered by the fallback read", () -> seen.size() == 1);
      assertThat(seen.get(0).partition()).isEqualTo(p);
    } finally {
      other.close();
    }
  }

  private static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }
}
