package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tombstone collection racing a commit that writes the tombstoned key again, on two connections:
 * the commit's upsert is held open while the collector runs, so the collector's {@code DELETE}
 * waits on the row and re-evaluates it after the commit (READ COMMITTED). It must then leave the
 * live row alone: the re-check has to cover {@code v IS NULL AND ver <= horizon}, not only the key.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JdbcTombstoneRaceTest {

  private final List<Runnable> cleanup = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    cleanup.reversed().forEach(Runnable::run);
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void collectionWaitingOnAnUpsertOfATombstonedKeyLeavesTheLiveRow(SqlDialect dialect) throws Exception {
    String table = TestDatabases.freshTable();
    JdbcEngine engine = JdbcEngine.open(TestDatabases.options(dialect).table(table)
        .gcInterval(Duration.ofHours(1)).build());
    cleanup.add(() -> TestDatabases.dropStore(dialect, table));
    cleanup.add(engine::close);
    byte[] key = "redo/0".getBytes(StandardCharsets.UTF_8);
    commit(engine, tx -> tx.set(key, bytes("first")));
    commit(engine, tx -> tx.clear(key)); // leaves a tombstone at version 2
    Statements sql = engine.statements();

    try (Connection writer = TestDatabases.connect(dialect)) {
      writer.setAutoCommit(false);
      // What a MariaDB commit does: lock the version row, upsert the key with the next version;
      // held open. On PostgreSQL a commit takes advisory locks instead, which the collector's
      // DELETE does not take (and never locks the version row, which the collector updates before
      // deleting): what matters here, the upsert's row lock, is the same.
      boolean postgres = dialect == SqlDialect.POSTGRESQL;
      long version;
      try (PreparedStatement ps = writer.prepareStatement(postgres ? sql.lastVersion : sql.lockVersion);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        version = rs.getLong(1) + 1;
      }
      try (PreparedStatement ps = writer.prepareStatement(sql.upsert)) {
        ps.setBytes(1, key);
        ps.setBytes(2, bytes("live"));
        ps.setLong(3, version);
        ps.executeUpdate();
      }
      if (!postgres) {
        try (PreparedStatement ps = writer.prepareStatement(sql.writeVersion)) {
          ps.setLong(1, version);
          ps.executeUpdate();
        }
      }
      CompletableFuture<Integer> collection = CompletableFuture.supplyAsync(() -> {
        try {
          return engine.collectTombstonesIgnoringAge();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      awaitCollectorBlocked(dialect, table, collection);
      writer.commit();
      assertThat(collection.get(1, TimeUnit.MINUTES)).as("tombstones deleted").isZero();
    }
    try (EngineTransaction tx = engine.begin(true)) {
      assertThat(tx.get(key)).as("the re-written key after collection").isEqualTo(bytes("live"));
    }
  }

  /** Polls the server until the collector's DELETE waits for a row lock. */
  private static void awaitCollectorBlocked(SqlDialect dialect, String table, CompletableFuture<?> collection)
      throws Exception {
    String query = switch (dialect) {
      case POSTGRESQL -> "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
          + " AND query LIKE '%DELETE FROM %' AND query LIKE ?";
      // A statement still listed as running: the DELETE of one row only lasts while it waits.
      case MARIADB -> "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query'"
          + " AND INFO LIKE 'DELETE FROM %' AND INFO LIKE ?";
    };
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Connection c = TestDatabases.connect(dialect); PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, "%" + table + "%");
      while (true) {
        assertThat(collection).as("collection ended before it waited on the held row").isNotDone();
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        assertThat(System.nanoTime()).as("collector waiting on the row lock").isLessThan(deadline);
        Thread.sleep(5);
      }
    }
  }

  private static void commit(JdbcEngine engine, java.util.function.Consumer<EngineTransaction> work) {
    try (EngineTransaction tx = engine.begin(false)) {
      work.accept(tx);
      tx.commit();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
