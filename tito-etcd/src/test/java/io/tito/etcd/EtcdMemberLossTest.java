package io.tito.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.StorageException;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A producer (blind writes of new keys) and a consumer (read-modify-write of a counter) run while
 * the leader of a private three-member cluster is SIGKILLed, then (after it is back) a follower.
 * Writes pause and resume; every acknowledged commit is there afterwards, every commit reported
 * as not applied is absent, and only commits reported unknown may be either.
 */
class EtcdMemberLossTest {

  private enum Outcome { COMMITTED, NOT_APPLIED, UNKNOWN }

  private static final Duration RESUME = Duration.ofSeconds(90);

  private final Map<Long, Outcome> produced = new ConcurrentHashMap<>();
  private final BlockingQueue<Long> acknowledged = new LinkedBlockingQueue<>();
  private final AtomicLong incrementsCommitted = new AtomicLong();
  private final AtomicLong incrementsUnknown = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);

  @Test
  void writesResumeAfterTheLeaderAndThenAFollowerAreKilledAndNoOutcomeIsWrong() throws Exception {
    try (EtcdCluster cluster = EtcdCluster.startPrivate();
        EtcdEngine engine = cluster.open(EtcdCluster.freshNamespace("member-loss"))) {
      Thread producer = Thread.ofPlatform().name("producer").start(() -> produce(engine));
      Thread consumer = Thread.ofPlatform().name("consumer").start(() -> consume(engine));
      try {
        awaitAcknowledged(20, "before any member is killed");

        int leader = cluster.awaitLeader(RESUME);
        cluster.kill(leader);
        acknowledged.clear();
        awaitAcknowledged(20, "after the leader was killed");
        cluster.restart(leader);
        cluster.awaitLeader(RESUME);

        int follower = (cluster.awaitLeader(RESUME) + 1) % 3;
        cluster.kill(follower);
        acknowledged.clear();
        awaitAcknowledged(20, "after a follower was killed");
        cluster.restart(follower);
      } finally {
        running.set(false);
        producer.join(RESUME.toMillis());
        consumer.join(RESUME.toMillis());
      }
      assertThat(producer.isAlive() || consumer.isAlive()).as("workload threads stopped").isFalse();

      try (EngineTransaction tx = engine.begin(true)) {
        for (Map.Entry<Long, Outcome> e : produced.entrySet()) {
          byte[] value = tx.get(key(e.getKey()));
          if (e.getValue() == Outcome.COMMITTED) {
            assertThat(value).as("acknowledged write %d", e.getKey()).isNotNull();
          } else if (e.getValue() == Outcome.NOT_APPLIED) {
            assertThat(value).as("write %d reported as not applied", e.getKey()).isNull();
          }
        }
        byte[] counter = tx.get(b("counter"));
        long count = counter == null ? 0 : Long.parseLong(new String(counter, StandardCharsets.UTF_8));
        assertThat(count).as("counter against acknowledged increments")
            .isBetween(incrementsCommitted.get(), incrementsCommitted.get() + incrementsUnknown.get());
      }
      assertThat(produced.values()).as("outcomes").contains(Outcome.COMMITTED);
      Map<Outcome, Long> counts = new java.util.EnumMap<>(Outcome.class);
      produced.values().forEach(o -> counts.merge(o, 1L, Long::sum));
      System.out.printf("producer outcomes %s; increments committed %d, unknown %d%n", counts,
          incrementsCommitted.get(), incrementsUnknown.get());
    }
  }

  private void produce(EtcdEngine engine) {
    for (long attempt = 0; running.get(); attempt++) {
      Outcome outcome;
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(key(attempt), b("v"));
        tx.commit();
        outcome = Outcome.COMMITTED;
      } catch (CommitUnknownException e) {
        outcome = Outcome.UNKNOWN;
      } catch (StorageException | ConflictException e) {
        outcome = Outcome.NOT_APPLIED;
      }
      produced.put(attempt, outcome);
      if (outcome == Outcome.COMMITTED) {
        acknowledged.add(attempt);
      }
    }
  }

  private void consume(EtcdEngine engine) {
    while (running.get()) {
      try (EngineTransaction tx = engine.begin(false)) {
        byte[] current = tx.get(b("counter"));
        long n = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.UTF_8));
        tx.set(b("counter"), b(Long.toString(n + 1)));
        try {
          tx.commit();
          incrementsCommitted.incrementAndGet();
        } catch (CommitUnknownException e) {
          incrementsUnknown.incrementAndGet();
        }
      } catch (StorageException | ConflictException e) {
        // not applied (or failed before commit): try again
      }
    }
  }

  private void awaitAcknowledged(int commits, String when) throws InterruptedException {
    for (int i = 0; i < commits; i++) {
      Long ack = acknowledged.poll(RESUME.toSeconds(), TimeUnit.SECONDS);
      assertThat(ack).as("commit %d of %d acknowledged within %s %s", i + 1, commits, RESUME, when).isNotNull();
    }
  }

  /** Waits for the live members to name a leader (an election takes about a second). */

  private static byte[] key(long attempt) {
    return b(String.format("p/%010d", attempt));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
