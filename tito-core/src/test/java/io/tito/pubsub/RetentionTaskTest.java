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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers' retention runs apart from the heartbeat, in bounded transactions, once per partition
 * whatever the number of groups. Observed through an engine that records what transactions do.
 */
class RetentionTaskTest {

  private static final int EVENTS = 1000;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Recording engine = new Recording(new MemoryEngine());
  private final Tito tito = Tito.builder().engine(engine).clock(clock).build();
  private final Topics topics = tito.topics();
  private final Keys keys = new Keys(tito.root());
  private final KeyRange log = keys.logRange("t", 0);
  private final List<Subscription> subs = new ArrayList<>();

  /** Counts heartbeats, lease writes, log deletions per commit, retention's reads; can hold log deletions. */
  private final class Recording extends ForwardingEngine {
    final AtomicLong leaseWrites = new AtomicLong();
    final AtomicLong heartbeats = new AtomicLong();
    /** Read-write transactions that read the groups' checkpoints (retention's). */
    final AtomicLong groupScans = new AtomicLong();
    final AtomicLong markerReads = new AtomicLong();
    final AtomicLong deletingCommits = new AtomicLong();
    final AtomicInteger mostDeletedInOneCommit = new AtomicInteger();
    volatile CountDownLatch gate;
    final CountDownLatch held = new CountDownLatch(1);

    Recording(MemoryEngine delegate) {
      super(delegate);
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      return new ForwardingEngineTransaction(super.begin(readOnly)) {
        int deleted;

        @Override
        public byte[] get(byte[] key) {
          if (Arrays.equals(key, keys.retained("t", 0))) {
            markerReads.incrementAndGet();
          }
          return super.get(key);
        }

        @Override
        public KeyValueCursor scan(byte[] begin, byte[] end, ScanOptions options) {
          if (Arrays.equals(begin, keys.membersRange("t", "g").begin())) {
            heartbeats.incrementAndGet();
          }
          if (!readOnly && Arrays.equals(begin, keys.groupsRange("t").begin())) {
            groupScans.incrementAndGet();
          }
          return super.scan(begin, end, options);
        }

        @Override
        public void set(byte[] key, byte[] value) {
          if (Arrays.equals(key, keys.lease("t", "g", 0))) {
            leaseWrites.incrementAndGet();
          }
          super.set(key, value);
        }

        @Override
        public void clear(byte[] key) {
          if (log.contains(key)) {
            CountDownLatch g = gate;
            if (g != null) {
              held.countDown();
              try {
                g.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            deleted++;
          }
          super.clear(key);
        }

        @Override
        public void commit() {
          // Counted before the commit (and uncounted if it fails), so that a test which sees the
          // deletion's effect also sees it counted.
          if (deleted == 0) {
            super.commit();
            return;
          }
          deletingCommits.incrementAndGet();
          try {
            super.commit();
          } catch (RuntimeException e) {
            deletingCommits.decrementAndGet();
            throw e;
          }
          mostDeletedInOneCommit.accumulateAndGet(deleted, Math::max);
        }
      };
    }
  }

  @AfterEach
  void close() {
    CountDownLatch g = engine.gate;
    if (g != null) {
      g.countDown();
    }
    subs.forEach(s -> s.close(Duration.ofSeconds(5)));
    tito.close();
  }

  private void publishBacklog() {
    topics.createTopic("t", new TopicConfig(1, Duration.ofSeconds(1)));
    for (int i = 0; i < EVENTS; i += 100) {
      tito.inTransaction(tx -> {
        for (int j = 0; j < 100; j++) {
          topics.publish(tx, "t", Message.of("k", new byte[] {1}));
        }
      });
    }
  }

  private void subscribe(String group) {
    subs.add(topics.subscribe("t", group, e -> { },
        Await.fast().retentionInterval(Duration.ofMinutes(1)).build()));
  }

  private boolean consumed(String group) {
    return topics.lag("t", group).get(0).checkpoint() == EVENTS;
  }

  @Test
  void heartbeatsGoOnWhileRetentionWorksOffABacklogInBoundedTransactions() {
    publishBacklog();
    subscribe("g");
    Await.until("consumed", () -> consumed("g"));
    engine.gate = new CountDownLatch(1);
    clock.advance(Duration.ofMinutes(2));
    try {
      engine.held.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    long beats = engine.heartbeats.get();
    Await.until("heartbeats while retention is held", () -> engine.heartbeats.get() >= beats + 3);
    long renewals = engine.leaseWrites.get();
    clock.advance(Duration.ofMillis(400)); // less than 350 ms of the 600 ms lease left: renew
    Await.until("lease renewed while retention is held", () -> engine.leaseWrites.get() > renewals);
    engine.gate.countDown();
    Await.until("backlog deleted", () -> topics.read("t", 0, 0, 1).isEmpty());
    assertThat(engine.mostDeletedInOneCommit.get()).as("largest deletion in one transaction")
        .isLessThanOrEqualTo(256);
    assertThat(engine.deletingCommits.get()).isGreaterThanOrEqualTo(EVENTS / 256);
  }

  @Test
  void eachPartitionIsCleanedOncePerIntervalWhateverTheNumberOfGroups() {
    publishBacklog();
    subscribe("g");
    subscribe("h");
    Await.until("consumed", () -> consumed("g") && consumed("h"));
    long scans = engine.groupScans.get();
    long commits = engine.deletingCommits.get();
    long markerReads = engine.markerReads.get();
    clock.advance(Duration.ofMinutes(2));
    Await.until("backlog deleted", () -> topics.read("t", 0, 0, 1).isEmpty());
    // Each worker's first round: one claims the partition, the other finds it claimed.
    Await.until("both groups' workers had their round",
        () -> engine.markerReads.get() >= markerReads + 2);
    long deletingCommits = engine.deletingCommits.get() - commits;
    // One worker's round: one transaction per batch, the last one finding less than a batch. A
    // race to claim the round may add one transaction that read the groups before it conflicted.
    assertThat(engine.groupScans.get() - scans).as("retention transactions")
        .isLessThanOrEqualTo(deletingCommits + 1);
  }
}
