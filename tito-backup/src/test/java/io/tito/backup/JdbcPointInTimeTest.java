package io.tito.backup;

import static io.tito.backup.Stores.b;
import static io.tito.backup.Stores.commit;
import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;

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
 * Point-in-time restore on the JDBC engines (PostgreSQL and MariaDB), whose change feed logs
 * every commit while a backup's hold exists: restore is exact at every version and every time
 * inside an incremental's interval, not only at backup boundaries.
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

  private static long waitPast(long millis) {
    while (System.currentTimeMillis() <= millis) {
      Thread.onSpinWait(); // until the wall clock moves past a commit's time
    }
    return System.currentTimeMillis();
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb"})
  void exactAtEveryVersionAndTimeInsideAnIncremental(String which) {
    JdbcEngine source = engine(which);
    assertThat(source.changeFeed().everyCommit()).as("the JDBC feed gives every commit").isTrue();
    Backups backups = Backups.of(LocalDirectoryStorage.in(dir));
    commit(source, tx -> tx.set(b("a"), b("1")));
    BackupManifest full = backups.full(source);
    List<String> atFull = dump(source);
    long beforeFirst = waitPast(full.toTimeMillis());
    commit(source, tx -> tx.set(b("b"), b("2")));
    long first = source.changeFeed().currentVersion();
    List<String> atFirst = dump(source);
    long afterFirst = waitPast(System.currentTimeMillis());
    commit(source, tx -> tx.set(b("b"), b("3")));
    long second = source.changeFeed().currentVersion();
    List<String> atSecond = dump(source);
    long afterSecond = waitPast(System.currentTimeMillis());
    commit(source, tx -> {
      tx.clearRange(b("a"), b("b"));
      tx.set(b("c"), b("4"));
    });
    BackupManifest incr = backups.incremental(source);
    List<String> atIncr = dump(source);
    assertThat(incr.everyCommit()).isTrue();
    assertThat(List.of(first, second)).allSatisfy(v -> assertThat(v).isBetween(full.toVersion() + 1, incr.toVersion() - 1));

    restoresTo(backups, RestorePoint.atVersion(full.toVersion()), which, atFull);
    restoresTo(backups, RestorePoint.atVersion(first), which, atFirst);
    restoresTo(backups, RestorePoint.atVersion(second), which, atSecond);
    restoresTo(backups, RestorePoint.atVersion(incr.toVersion()), which, atIncr);
    restoresTo(backups, RestorePoint.atTime(Instant.ofEpochMilli(beforeFirst - 1)), which, atFull);
    restoresTo(backups, RestorePoint.atTime(Instant.ofEpochMilli(afterFirst - 1)), which, atFirst);
    restoresTo(backups, RestorePoint.atTime(Instant.ofEpochMilli(afterSecond - 1)), which, atSecond);
    restoresTo(backups, RestorePoint.atTime(Instant.ofEpochMilli(incr.toTimeMillis())), which, atIncr);
    backups.releaseHold(source);
  }

  private void restoresTo(Backups backups, RestorePoint point, String which, List<String> expected) {
    JdbcEngine target = engine(which);
    backups.restore(point, target);
    assertThat(dump(target)).as("restored at %s", point).isEqualTo(expected);
  }
}
