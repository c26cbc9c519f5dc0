package io.tito.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the peer harness's scenarios with tiny counts: each must complete and every system must
 * have done the same work. Timings are never asserted.
 */
class PeerBenchSmokeTest {

  @Test
  void embeddedWriteCompletesWithEqualWorkEverywhere(@TempDir Path dir) throws Exception {
    List<EmbeddedWrite.Outcome> outcomes = EmbeddedWrite.run(dir, 20, 50, 5);

    assertThat(outcomes).hasSize(2 * EmbeddedWrite.SYSTEMS.size());
    assertThat(outcomes).filteredOn(o -> o.mode().equals("durable"))
        .extracting(EmbeddedWrite.Outcome::system)
        .containsExactlyElementsOf(EmbeddedWrite.SYSTEMS);
    for (EmbeddedWrite.Outcome o : outcomes) {
      long expected = 5 + (o.mode().equals("durable") ? 20 : 50);
      assertThat(o.records()).as(o.toString()).isEqualTo(expected);
      assertThat(o.events()).as(o.toString()).isEqualTo(expected);
    }
    assertThat(PeerBench.writeTables(outcomes, 5)).contains("Tito", "SQLite", "H2", "raw RocksDB");
  }

  @Test
  void outboxEndToEndCompletesWithEveryEventHandledEverywhere(@TempDir Path dir) throws Exception {
    List<OutboxEndToEnd.Outcome> outcomes = OutboxEndToEnd.run(dir, 50, 50, 30);

    assertThat(outcomes).extracting(OutboxEndToEnd.Outcome::system)
        .containsExactlyElementsOf(OutboxEndToEnd.SYSTEMS);
    for (OutboxEndToEnd.Outcome o : outcomes) {
      assertThat(o.throughputEvents()).as(o.toString()).isEqualTo(50);
      assertThat(o.published()).as(o.toString()).isEqualTo(50 + o.warmup() + 30);
      assertThat(o.handled()).as(o.toString()).isEqualTo(o.published());
      assertThat(o.latencies().count()).as(o.toString()).isEqualTo(30);
    }
    String table = PeerBench.outboxTable(outcomes);
    for (String system : OutboxEndToEnd.SYSTEMS) {
      assertThat(table).contains(OutboxEndToEnd.label(system));
    }
  }

  @Test
  void machineFloorCompletes(@TempDir Path dir) throws Exception {
    MachineFloor.Outcome o = MachineFloor.run(dir, 10, 2);

    assertThat(o.appendFileBytes()).isEqualTo(1_000);
    assertThat(o.bandwidthFileBytes()).isEqualTo(2L << 20);
    assertThat(PeerBench.floorTable(o, List.of())).contains("fsync'd", "MiB");
  }
}
