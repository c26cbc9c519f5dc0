package io.tito.backup;

import static io.tito.backup.Stores.b;
import static io.tito.backup.Stores.commit;
import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.jdbc.JdbcEngine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The granularity of point-in-time restore on the JDBC engines (PostgreSQL and MariaDB), whose
 * change feed gives the net changes of an interval: restore is exact at every full and
 * incremental boundary, by version and by time, and a version or time strictly inside an
 * incremental's interval is refused with the restorable ranges, never silently rounded.
 */
class JdbcPointInTimeTest {

  @TempDir Path dir;
  private final List<String> pgTables = new ArrayList<>();
  private final List<String> mariaTables = new ArrayList<>();
  private final List<JdbcEngine> engines = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    engines.forEach(JdbcEngine::close);
    CrossEngineRestoreTest.dropTables(pgTables);
    MariaDbStores.drop(mariaTables);
  }

  private JdbcEngine engine(String which) {
    JdbcEngine e = which.equals("postgresql") ? CrossEngineRestoreTest.postgres(pgTables) : MariaDbStores.open(mariaTables);
    engines.add(e);
    return e;
  }

  private static void waitPast(long millis) {
    while (System.currentTimeMillis() <= millis) {
      Thread.onSpinWait(); // until the wall clock moves past a backup's time
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb"})
  void exactAtBoundariesAndRefusedInsideAnInterval(String which) {
    JdbcEngine source = engine(which);
    assertThat(source.changeFeed().everyCommit()).as("the JDBC feed gives net changes").isFalse();
    Backups backups = Backups.of(LocalDirectoryStorage.in(dir));
    commit(source, tx -> tx.set(b("a"), b("1")));
    BackupManifest full = backups.full(source);
    List<String> atFull = dump(source);
    waitPast(full.toTimeMillis() + 1);
    commit(source, tx -> tx.set(b("b"), b("2")));
    long inside = source.changeFeed().currentVersion();
    commit(source, tx -> tx.clear(b("a")));
    BackupManifest incr = backups.incremental(source);
    List<String> atIncr = dump(source);
    assertThat(inside).isBetween(full.toVersion() + 1, incr.toVersion() - 1);

    JdbcEngine t1 = engine(which);
    backups.restore(RestorePoint.atVersion(full.toVersion()), t1);
    assertThat(dump(t1)).isEqualTo(atFull);
    JdbcEngine t2 = engine(which);
    backups.restore(RestorePoint.atVersion(incr.toVersion()), t2);
    assertThat(dump(t2)).isEqualTo(atIncr);
    JdbcEngine t3 = engine(which);
    backups.restore(RestorePoint.atTime(Instant.ofEpochMilli(full.toTimeMillis())), t3);
    assertThat(dump(t3)).isEqualTo(atFull);
    JdbcEngine t4 = engine(which);
    backups.restore(RestorePoint.atTime(Instant.ofEpochMilli(incr.toTimeMillis())), t4);
    assertThat(dump(t4)).isEqualTo(atIncr);

    JdbcEngine t5 = engine(which);
    assertThatThrownBy(() -> backups.restore(RestorePoint.atVersion(inside), t5))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("no chain of backups reaches this version")
        .hasMessageContaining("net changes of versions " + full.toVersion() + " to " + incr.toVersion());
    assertThatThrownBy(() -> backups.restore(RestorePoint.atTime(Instant.ofEpochMilli(full.toTimeMillis() + 1)), t5))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("holds only the net changes")
        .hasMessageContaining(incr.id());
    assertThat(dump(t5)).as("a refused restore writes nothing").isEmpty();
    backups.releaseHold(source);
  }
}
