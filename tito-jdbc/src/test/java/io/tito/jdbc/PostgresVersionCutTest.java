package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.ChangeFeed;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The clean version cut of parallel commits (see {@link VersionCut}): a commit that took its
 * version and is still in flight while a later commit (higher version) is already visible must
 * not be missed by "changes after the cut". The change feed's version read waits for it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PostgresVersionCutTest {

  @Test
  void theChangeFeedsVersionWaitsForACommitInFlightWithALowerVersion() throws Exception {
    String table = TestDatabases.freshTable();
    JdbcEngine engine = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table)
        .gcInterval(Duration.ofHours(1)).build());
    CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      ChangeFeed feed = engine.changeFeed();
      long start = feed.placeHold("cut-test");
      AtomicBoolean armed = new AtomicBoolean(true);
      engine.onCommitChecked(() -> {
        if (armed.compareAndSet(true, false)) {
          reached.countDown();
          try {
            release.await(1, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      // Own threads: the common pool may have a single thread on a small machine.
      CompletableFuture<Void> held = CompletableFuture.runAsync(() -> commit(engine, tx -> tx.set(bytes("a"), bytes("held"))), threads);
      assertThat(reached.await(1, TimeUnit.MINUTES)).as("the first commit took its version and is held").isTrue();
      commit(engine, tx -> tx.set(bytes("b"), bytes("later"))); // a higher version, visible first

      CompletableFuture<Long> cut = CompletableFuture.supplyAsync(feed::currentVersion, threads);
      awaitCutWaiting(engine.statements(), cut);
      assertThat(cut).as("the cut while a commit with a lower version is in flight").isNotDone();
      release.countDown();
      held.get(1, TimeUnit.MINUTES);
      long version = cut.get(1, TimeUnit.MINUTES);

      List<String> changed = new ArrayList<>();
      try (ChangeFeed.ChangeCursor changes = feed.changesAfter(start, version)) {
        changes.forEachRemaining(c -> c.writes().forEach(w -> changed.add(new String(w.key(), StandardCharsets.UTF_8))));
      }
      assertThat(changed).as("changes after the hold, up to the cut").containsExactlyInAnyOrder("a", "b");
    } finally {
      release.countDown();
      threads.shutdownNow();
      engine.close();
      TestDatabases.dropStore(SqlDialect.POSTGRESQL, table);
    }
  }

  /** Polls the server until a request for this store's lock waits (the cut), or fails. */
  private static void awaitCutWaiting(Statements sql, CompletableFuture<?> cut) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL);
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND NOT granted AND classid = ?::oid AND objid = ?::oid AND objsubid = 2")) {
      ps.setLong(1, Statements.STORE_LOCK_CLASS & 0xffffffffL);
      ps.setLong(2, sql.storeLockId & 0xffffffffL);
      while (true) {
        assertThat(cut).as("the cut returned while a commit with a lower version was in flight").isNotDone();
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        assertThat(System.nanoTime()).as("the cut waiting for the store lock").isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
  }

  private static void commit(JdbcEngine engine, Consumer<EngineTransaction> work) {
    try (EngineTransaction tx = engine.begin(false)) {
      work.accept(tx);
      tx.commit();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
