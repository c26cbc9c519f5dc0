package io.tito.bench.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the projection benchmark with tiny sizes on every system (Tito on RocksDB and PostgreSQL, Axon's tracking processor) (PostgreSQL needs the local
 * server): the projection must fold every appended event (the run checks the read model's sum).
 * Timings are never asserted.
 */
class ProjectionBenchSmokeTest {

  @Test
  void everySystemFoldsEveryEvent(@TempDir Path dir) throws Exception {
    for (String key : new String[] {"rocksdb-group", "tito-pg", "axon"}) {
      ProjectionBench.Outcome o = ProjectionBench.run(key, dir, 400, 50);
      assertThat(o.events()).isEqualTo(400);
      assertThat(ProjectionBench.table(java.util.List.of(o))).contains(o.system());
    }
  }
}
