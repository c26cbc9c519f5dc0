package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.spi.ChangeFeed;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-commit change log behind the JDBC change feed, on the tables: nothing is written without
 * a hold, each commit logs its changes while one exists, collection follows the holds, and a store
 * migrated from the schema before the log refuses changes it did not log. Runs once per dialect
 * through a subclass.
 */
abstract class JdbcChangeLogTest {

  private final List<String> tables = new ArrayList<>();
  private final List<JdbcEngine> engines = new ArrayList<>();

  abstract SqlDialect dialect();

  private JdbcEngine open(String table) {
    if (!tables.contains(table)) {
      tables.add(table);
    }
    JdbcEngine e = JdbcEngine.open(TestDatabases.options(dialect()).table(table).build());
    engines.add(e);
    return e;
  }

  @AfterEach
  void dropTables() {
    engines.forEach(JdbcEngine::close);
    tables.forEach(t -> TestDatabases.dropStore(dialect(), t));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void set(JdbcEngine engine, String key, String value) {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(b(key), b(value));
      tx.commit();
    }
  }

  @Test
  void commitsLogTheirChangesOnlyWhileAHoldExists() throws Exception {
    String table = TestDatabases.freshTable();
    JdbcEngine engine = open(table);
    ChangeFeed feed = engine.changeFeed();
    set(engine, "a", "1");
    assertThat(countLog(table)).as("no hold: nothing logged").isZero();
    feed.placeHold("log");
    set(engine, "a", "2");
    try (EngineTransaction tx = engine.begin(false)) {
      tx.clearRange(b("x"), b("z"));
      tx.set(b("b"), b("3"));
      tx.commit();
    }
    assertThat(countLog(table)).as("one entry per point and range").isEqualTo(3);
    long current = feed.currentVersion();
    engine.collectTombstonesIgnoringAge();
    assertThat(countLog(table)).as("collection keeps what the hold covers").isEqualTo(3);
    feed.moveHold("log", current);
    engine.collectTombstonesIgnoringAge();
    assertThat(countLog(table)).as("collection follows the hold").isZero();
    feed.releaseHold("log");
    set(engine, "a", "4");
    assertThat(countLog(table)).as("released: nothing logged").isZero();
  }

  @Test
  void aStoreMigratedWhileHeldServesChangesOnlyFromTheMigration() throws Exception {
    String table = TestDatabases.freshTable();
    JdbcEngine engine = open(table);
    long hold = engine.changeFeed().placeHold("old");
    set(engine, "a", "1");
    engine.close();
    // Back to the schema before the change log, as a store of the previous release with a hold.
    // The change log is PostgreSQL's step 4 (followed by 5, stamp bases) and MariaDB's last step.
    int changeLog = dialect().dialect() == Dialect.POSTGRESQL ? 4 : dialect().dialect().migrations().size();
    execute("DROP TABLE " + quote(table + "_changes"),
        "ALTER TABLE " + quote(table + "_meta") + " DROP COLUMN changes_from",
        "DELETE FROM " + quote(table + "_schema") + " WHERE version >= " + changeLog);
    JdbcEngine reopened = open(table);
    ChangeFeed feed = reopened.changeFeed();
    long migratedAt = feed.currentVersion();
    assertThat(feed.holdVersion("old")).hasValue(hold);
    assertThatThrownBy(() -> feed.changesAfter(hold, migratedAt)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("not logged per commit").hasMessageContaining("full backup");
    feed.moveHold("old", migratedAt);
    set(reopened, "b", "2");
    try (ChangeFeed.ChangeCursor c = feed.changesAfter(migratedAt, feed.currentVersion())) {
      ChangeFeed.Commit commit = c.next();
      assertThat(commit.writes()).containsExactly(new ChangeFeed.Write(b("b"), b("2")));
      assertThat(c.hasNext()).isFalse();
    }
    feed.releaseHold("old");
  }

  /**
   * A hold placed while commits run: every commit with a version above the hold is in the log
   * (a commit that read "no hold" but took a later version would be missing).
   */
  @Test
  void aHoldPlacedUnderConcurrentCommitsMissesNoLaterCommit() throws Exception {
    String table = TestDatabases.freshTable();
    JdbcEngine engine = open(table);
    ChangeFeed feed = engine.changeFeed();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger committed = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int writer = w;
      writers.add(pool.submit(() -> {
        for (int i = 0; !stop.get(); i++) {
          set(engine, "w" + writer + "/" + i, "x");
          committed.incrementAndGet();
        }
      }));
    }
    try {
      while (committed.get() < 40) {
        Thread.onSpinWait();
      }
      long hold = feed.placeHold("race");
      int atHold = committed.get();
      while (committed.get() < atHold + 40) {
        Thread.onSpinWait();
      }
      stop.set(true);
      for (java.util.concurrent.Future<?> f : writers) {
        f.get();
      }
      List<String> logged = new ArrayList<>();
      try (ChangeFeed.ChangeCursor c = feed.changesAfter(hold, feed.currentVersion())) {
        c.forEachRemaining(commit -> commit.writes().forEach(
            w -> logged.add(new String(w.key(), StandardCharsets.UTF_8))));
      }
      List<String> stamped = new ArrayList<>();
      try (Connection c = TestDatabases.connect(dialect()); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT k FROM " + quote(table) + " WHERE ver > " + hold)) {
        while (rs.next()) {
          stamped.add(new String(rs.getBytes(1), StandardCharsets.UTF_8));
        }
      }
      assertThat(stamped).as("commits after the hold").hasSizeGreaterThanOrEqualTo(30);
      assertThat(logged).as("logged commits after the hold").containsExactlyInAnyOrderElementsOf(stamped);
      feed.releaseHold("race");
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  private String quote(String name) {
    return dialect().dialect().quote(name);
  }

  private void execute(String... statements) throws Exception {
    try (Connection c = TestDatabases.connect(dialect()); Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }

  private long countLog(String table) throws Exception {
    try (Connection c = TestDatabases.connect(dialect()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + quote(table + "_changes"))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
