package io.tito.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.bench.peers.ScheduledSystems.Recorder;
import io.tito.bench.peers.ScheduledSystems.ScheduledSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduled harness's warm-up: every system handles its own warm-up events before the
 * measured ones are scheduled, and they stay out of the figures.
 */
class ScheduledWarmupTest {

  @AfterEach
  void clear() {
    System.clearProperty("tito.scheduled.warmupEvents");
    System.clearProperty("tito.scheduled.warmupMillis");
  }

  @Test
  void eachSystemHandlesItsWarmUpEventsBeforeTheMeasuredOnes(@TempDir Path dir) throws Exception {
    System.setProperty("tito.scheduled.warmupMillis", "200");
    for (String system : List.of("tito-rocksdb-batch", "db-scheduler")) {
      Recorder r = new Recorder(100 + 40);
      try (ScheduledSystem s = ScheduledDelivery.open(system, dir.resolve(system), r)) {
        ScheduledDelivery.warmUp(s, r, 100, 40);
        assertThat(r.distinct()).as(system).isEqualTo(40);
        for (int i = 0; i < 100; i++) {
          assertThat(r.deliveries.get(i)).as("%s: measured event %d", system, i).isZero();
        }
        for (int i = 100; i < 140; i++) {
          assertThat(r.deliveries.get(i)).as("%s: warm-up event %d", system, i).isPositive();
        }
      }
    }
  }

  @Test
  void warmUpEventsStayOutOfTheFigures(@TempDir Path dir) throws Exception {
    System.setProperty("tito.scheduled.warmupEvents", "50");
    System.setProperty("tito.scheduled.warmupMillis", "200");
    List<ScheduledDelivery.Outcome> outcomes = ScheduledDelivery.run(dir, 200,
        Duration.ofSeconds(1), List.of("tito-rocksdb-batch", "db-scheduler"));
    for (ScheduledDelivery.Outcome o : outcomes) {
      assertThat(o.lateness().count()).as(o.system()).isEqualTo(200);
      assertThat(o.handled()).as(o.system()).isEqualTo(200 + o.duplicates());
      assertThat(o.early()).as(o.system()).isZero();
    }
  }
}
