package io.tito.bench.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the event-store benchmark with tiny sizes on every system (the PostgreSQL ones need the
 * local server): each must finish and pass the workload's own checks (loads return the aggregate's
 * sum, the catch-up read returns every appended event). Timings are never asserted.
 */
class EventBenchSmokeTest {

  private static final EventWorkload.Sizes TINY = new EventWorkload.Sizes(2, 0.2, 30, 3, 3, 5, 7);

  @Test
  void everySystemCompletesTheWorkloadWithTheSameResults(@TempDir Path dir) throws Exception {
    List<EventWorkload.Outcome> outcomes = EventBench.run(dir, EventBench.SYSTEMS, TINY);

    assertThat(outcomes).extracting(EventWorkload.Outcome::system).containsExactly(
        "Tito on RocksDB (group)", "Tito on RocksDB (none)", "Tito on PostgreSQL",
        "plain table (PostgreSQL)", "Axon 4.13 JDBC (PostgreSQL)");
    for (EventWorkload.Outcome o : outcomes) {
      long appended = 2L * TINY.warmupAppends() * (1 + 10) + o.one().appends()
          + 10 * o.ten().appends() + EventWorkload.AGGREGATE_EVENTS;
      assertThat(o.readEvents()).as(o.system()).isEqualTo(appended);
      assertThat(o.one().appends()).as(o.system()).isPositive();
      assertThat(o.fromEvents().micros()).hasSize(TINY.loadsFromEvents());
      assertThat(o.withSnapshot().micros()).hasSize(TINY.loadsWithSnapshot());
    }
    assertThat(EventBench.tables(outcomes, TINY)).contains("Axon 4.13 JDBC", "plain table",
        "from snapshot", "Catch-up read");
  }

  @Test
  void aWorkloadWhoseReadMissesEventsFails(@TempDir Path dir) throws Exception {
    try (EventSystem real = EventBench.open("rocksdb-none", dir, null)) {
      EventSystem lossy = new ForwardingSystem(real) {
        @Override
        public long readAll(int page, long[] sums) throws Exception {
          return real.readAll(page, sums) - 1;
        }
      };
      assertThatThrownBy(() -> EventWorkload.run(lossy, TINY))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("catch-up read");
    }
  }

  @Test
  void aWorkloadWhoseSnapshotLoadIsWrongFails(@TempDir Path dir) throws Exception {
    try (EventSystem real = EventBench.open("rocksdb-none", dir, null)) {
      EventSystem wrong = new ForwardingSystem(real) {
        @Override
        public long loadWithSnapshot(String stream) throws Exception {
          return real.loadWithSnapshot(stream) + 1;
        }
      };
      assertThatThrownBy(() -> EventWorkload.run(wrong, TINY))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("loaded sum");
    }
  }

  /** Delegates everything; tests override one method to break it. */
  private static class ForwardingSystem implements EventSystem {
    private final EventSystem real;

    ForwardingSystem(EventSystem real) {
      this.real = real;
    }

    @Override
    public String label() {
      return real.label();
    }

    @Override
    public void append(String stream, long expectedVersion, int count, long firstAmount)
        throws Exception {
      real.append(stream, expectedVersion, count, firstAmount);
    }

    @Override
    public void snapshot(String stream, long version, long sum) throws Exception {
      real.snapshot(stream, version, sum);
    }

    @Override
    public long loadFromEvents(String stream) throws Exception {
      return real.loadFromEvents(stream);
    }

    @Override
    public long loadWithSnapshot(String stream) throws Exception {
      return real.loadWithSnapshot(stream);
    }

    @Override
    public long readAll(int page, long[] sums) throws Exception {
      return real.readAll(page, sums);
    }

    @Override
    public void close() {}
  }
}
