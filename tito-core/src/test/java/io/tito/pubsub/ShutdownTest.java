package io.tito.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ClosedException;
import io.tito.ManualClock;
import io.tito.Tito;
import io.tito.internal.pubsub.GroupState;
import io.tito.internal.pubsub.Keys;
import io.tito.internal.pubsub.Lease;
import io.tito.memory.MemoryEngine;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import io.tito.tuple.Subspace;
import io.tito.tuple.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Closing a store or a subscription while a handler runs: the handler's progress commits, the
 * lease is released, so another worker on the same store takes the partition at once. The clock
 * never moves, so a lease that was not released would never expire here.
 */
class ShutdownTest {

  private final MemoryEngine store = new MemoryEngine();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Keys keys = new Keys(new Subspace(Tuple.of("tito")));
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** Closing it closes only this view: the store stays open for a second {@link Tito}. */
  private static final class Detachable extends ForwardingEngine {
    private final AtomicBoolean closed = new AtomicBoolean();

    Detachable(Engine delegate) {
      super(delegate);
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      ensureOpen();
      return new ForwardingEngineTransaction(super.begin(readOnly)) {
        @Override
        public void commit() {
          ensureOpen();
          super.commit();
        }
      };
    }

    private void ensureOpen() {
      if (closed.get()) {
        throw new ClosedException("engine closed", Map.of());
      }
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private Topics openTopics(Tito tito) {
    Topics topics = tito.topics();
    topics.createTopic("t", TopicConfig.DEFAULTS.withPartitions(1));
    return topics;
  }

  private EventHandler blockingHandler() {
    return e -> {
      entered.countDown();
      release.await();
    };
  }

  private GroupState state(Tito tito) {
    return tito.read(tx -> GroupState.decode(tx.get(keys.state("t", "g", 0))));
  }

  private Lease lease(Tito tito) {
    return tito.read(tx -> Lease.decode(tx.get(keys.lease("t", "g", 0))));
  }

  /** The store seen afresh: the in-flight event is done and the partition free to take now. */
  private void assertHandedOverCleanly() {
    Tito second = Tito.builder().engine(new Detachable(store)).clock(clock).build();
    assertThat(state(second).checkpoint()).as("checkpoint past the in-flight event").isEqualTo(1);
    assertThat(lease(second).owner()).as("lease released").isNull();
    Subscription next = openTopics(second).subscribe("t", "g", e -> { }, Await.fast().build());
    Await.until("a new worker takes the partition", () -> next.ownedPartitions().contains(0));
    second.close();
  }

  @Test
  void closingTheStoreLetsAnInFlightHandlerCommitAndReleasesTheLease() throws Exception {
    Tito tito = Tito.builder().engine(new Detachable(store)).clock(clock).build();
    Topics topics = openTopics(tito);
    topics.publish("t", Message.of("k", "v".getBytes(StandardCharsets.UTF_8)));
    topics.subscribe("t", "g", blockingHandler(), Await.fast().build());
    entered.await();
    AtomicReference<Boolean> inTime = new AtomicReference<>();
    Thread closer = Thread.ofPlatform().start(() -> {
      tito.close();
      inTime.set(true);
    });
    // Release the handler once close() waits for it (or has already returned).
    Await.until("close under way", () -> closer.getState() != Thread.State.RUNNABLE
        && closer.getState() != Thread.State.NEW);
    release.countDown();
    closer.join();
    assertThat(inTime.get()).isTrue();
    assertHandedOverCleanly();
  }

  @Test
  void closeWithADeadlineSaysWhetherHandlersFinishedInTime() throws Exception {
    Tito tito = Tito.builder().engine(new Detachable(store)).clock(clock).build();
    Topics topics = openTopics(tito);
    topics.publish("t", Message.of("k", "v".getBytes(StandardCharsets.UTF_8)));
    // This handler ends only when interrupted.
    Subscription s = topics.subscribe("t", "g", blockingHandler(), Await.fast().build());
    entered.await();
    assertThat(s.close(Duration.ofMillis(50))).as("finished in time").isFalse();
    Await.until("lease released", () -> lease(tito).owner() == null);
    GroupState after = state(tito);
    assertThat(after.checkpoint()).as("the interrupted event is delivered again").isZero();
    assertThat(after.attempts()).as("an interrupted handler is not a failed attempt").isZero();
    assertThat(tito.close(Duration.ZERO)).as("nothing left to stop").isTrue();
  }

  @Test
  void theStoresCloseWithADeadlineReportsAHandlerThatDidNotFinish() throws Exception {
    Tito tito = Tito.builder().engine(new Detachable(store)).clock(clock).build();
    Topics topics = openTopics(tito);
    topics.publish("t", Message.of("k", "v".getBytes(StandardCharsets.UTF_8)));
    topics.subscribe("t", "g", blockingHandler(), Await.fast().build());
    entered.await();
    assertThat(tito.close(Duration.ofMillis(50))).isFalse();
    assertThatThrownBy(() -> topics.subscribe("t", "g2", e -> { }, Await.fast().build()))
        .isInstanceOf(ClosedException.class);
  }
}
