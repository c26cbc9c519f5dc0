package io.tito.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.internal.pubsub.Signals;
import io.tito.memory.MemoryEngine;
import io.tito.spi.Capability;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Coalesced cross-process wake-ups: on an engine that declares notifications, appends in quick
 * succession send far fewer notifications than commits, and the last commit is always followed
 * by a notification (none is lost); interval zero notifies every commit.
 */
class WakeUpsTest {

  /** The memory engine, declaring cross-process notifications and recording the commits that send one. */
  static final class NotifyingEngine extends ForwardingEngine {
    final AtomicLong commits = new AtomicLong();
    /** The commit number of each commit that carried a notification of the event store. */
    final List<Long> notifyingCommits = new CopyOnWriteArrayList<>();

    NotifyingEngine() {
      super(new MemoryEngine());
    }

    @Override
    public Set<Capability> capabilities() {
      EnumSet<Capability> caps = EnumSet.copyOf(delegate().capabilities());
      caps.add(Capability.MULTI_PROCESS);
      caps.add(Capability.CHANGE_NOTIFICATIONS);
      return caps;
    }

    @Override
    public EngineTransaction begin(boolean readOnly) {
      return new ForwardingEngineTransaction(delegate().begin(readOnly)) {
        boolean notify;

        @Override
        public void notifyOnCommit(String channel, String payload) {
          if (Signals.CHANNEL.equals(channel) && "0:$events".equals(payload)) {
            notify = true;
          }
          super.notifyOnCommit(channel, payload);
        }

        @Override
        public void commit() {
          super.commit();
          long n = commits.incrementAndGet();
          if (notify) {
            notifyingCommits.add(n);
          }
        }
      };
    }
  }

  private static void appendMany(EventStore events, int n) {
    for (int i = 0; i < n; i++) {
      events.append("s-" + (i % 4), ExpectedVersion.ANY, EventData.ofJson("E", "{}"));
    }
  }

  @Test
  void appendsInQuickSuccessionShareNotificationsAndTheLastIsNeverLeftOut() throws Exception {
    NotifyingEngine engine = new NotifyingEngine();
    Duration interval = Duration.ofMillis(200);
    try (Tito tito = Tito.builder().engine(engine).with(EventStore.builder().wakeUpInterval(interval)).build()) {
      EventStore events = tito.module(EventStore.class);
      long started = System.nanoTime();
      appendMany(events, 300);
      long lastAppend = engine.commits.get();
      long elapsedIntervals = (System.nanoTime() - started) / interval.toNanos() + 1;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (engine.notifyingCommits.isEmpty()
          || engine.notifyingCommits.get(engine.notifyingCommits.size() - 1) < lastAppend) {
        assertThat(System.nanoTime()).as("a notification after the last append").isLessThan(deadline);
        Thread.sleep(5);
      }
      assertThat(engine.notifyingCommits.get(0)).as("the first append notifies at once").isEqualTo(1);
      assertThat(engine.notifyingCommits.size()).as("notifications for 300 commits in %d intervals", elapsedIntervals)
          .isLessThanOrEqualTo((int) (2 * elapsedIntervals + 1));
    }
  }

  @Test
  void intervalZeroNotifiesEveryCommit() {
    NotifyingEngine engine = new NotifyingEngine();
    try (Tito tito = Tito.builder().engine(engine).with(EventStore.builder().wakeUpInterval(Duration.ZERO)).build()) {
      appendMany(tito.module(EventStore.class), 50);
      assertThat(engine.notifyingCommits).hasSize(50);
    }
  }
}
