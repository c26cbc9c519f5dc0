package io.tito.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
  void indexQueriesCompleteWithEqualResultsEverywhere(@TempDir Path dir) throws Exception {
    List<IndexQueries.Outcome> outcomes = IndexQueries.run(dir, new long[] {200, 1_000}, 50, 5);

    assertThat(outcomes).hasSize(
        2 * IndexQueries.SYSTEMS.size() * IndexQueries.QUERIES.size());
    for (IndexQueries.Outcome o : outcomes) {
      assertThat(o.latencies().count()).as(o.toString()).isEqualTo(50);
      assertThat(o.checksum()).as(o.toString())
          .isEqualTo(IndexQueries.reference(outcomes, o).checksum());
    }
    assertThat(PeerBench.queryTable(outcomes, 5)).contains("point read", "first page of 50",
        "1,000", "Tito on RocksDB", "SQLite");
  }

  @Test
  void indexQueryCheckRejectsDifferentResults(@TempDir Path dir) throws Exception {
    List<IndexQueries.Outcome> outcomes = IndexQueries.run(dir, new long[] {100}, 10, 0);
    IndexQueries.Outcome peer = outcomes.get(outcomes.size() - 1);
    outcomes = new java.util.ArrayList<>(outcomes);
    outcomes.set(outcomes.size() - 1, new IndexQueries.Outcome(peer.records(), peer.query(),
        peer.system(), peer.operations(), peer.perSecond(), peer.latencies(),
        peer.checksum() + 1, peer.loadSeconds()));
    List<IndexQueries.Outcome> tampered = outcomes;

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IndexQueries.check(tampered))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("different results");
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

  @Test
  void scheduledDeliveryHandlesEveryEventNoneEarlyEverywhere(@TempDir Path dir) throws Exception {
    List<String> systems = new ArrayList<>(ScheduledDelivery.SYSTEMS);
    systems.addAll(ScheduledDelivery.EXTRA);

    List<ScheduledDelivery.Outcome> outcomes =
        ScheduledDelivery.run(dir, 200, Duration.ofSeconds(1), systems);

    assertThat(outcomes).extracting(ScheduledDelivery.Outcome::system)
        .containsExactlyElementsOf(systems);
    for (ScheduledDelivery.Outcome o : outcomes) {
      assertThat(o.events()).as(o.system()).isEqualTo(200);
      assertThat(o.lateness().count()).as(o.system()).isEqualTo(200);
      assertThat(o.handled()).as(o.system()).isEqualTo(200 + o.duplicates());
      assertThat(o.early()).as(o.system()).isZero();
      assertThat(o.scheduledLate()).as(o.system()).isZero();
    }
    String table = PeerBench.scheduledTable(outcomes);
    for (String system : systems) {
      assertThat(table).contains(ScheduledDelivery.label(system));
    }
  }
}
