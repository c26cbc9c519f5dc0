package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ConflictException;
import io.tito.Stamp;
import io.tito.spi.ChangeFeed;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Commits of point writes and stamped keys inside the snapshot transaction ({@link
 * SnapshotCommit}, one pipeline, no test hook installed): each conflict they must report, and the
 * writes that must go through, against every kind of concurrent commit.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PostgresSnapshotCommitTest {

  private String table;
  private JdbcEngine engine;

  @BeforeEach
  void open() {
    table = TestDatabases.freshTable();
    engine = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table)
        .gcInterval(Duration.ofHours(1)).build());
  }

  @AfterEach
  void close() {
    engine.close();
    TestDatabases.dropStore(SqlDialect.POSTGRESQL, table);
  }

  @Test
  void aPointWrittenByACommitTheSnapshotMissesConflicts() {
    EngineTransaction late = begunWithSnapshot();
    EngineTransaction early = begunWithSnapshot();
    early.set(bytes("k"), bytes("early"));
    early.commit();
    late.set(bytes("k"), bytes("late"));
    assertThatThrownBy(late::commit).isInstanceOf(ConflictException.class);
    assertThat(read("k")).isEqualTo("early");
  }

  @Test
  void aPointWrittenBeforeTheSnapshotDoesNotConflict() {
    commit(tx -> tx.set(bytes("k"), bytes("first")));
    EngineTransaction tx = begunWithSnapshot();
    tx.set(bytes("k"), bytes("second"));
    tx.commit();
    assertThat(read("k")).isEqualTo("second");
  }

  @Test
  void aRangeClearedAfterTheSnapshotConflictsWithAnAbsentKeyInside() {
    EngineTransaction tx = begunWithSnapshot();
    commit(c -> c.clearRange(bytes("a"), bytes("m")));
    tx.set(bytes("f"), bytes("v"));
    assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
    assertThat(read("f")).isNull();
  }

  @Test
  void aRangeClearedAfterTheSnapshotConflictsWithAnExistingKeyInside() {
    commit(c -> c.set(bytes("f"), bytes("before")));
    EngineTransaction tx = begunWithSnapshot();
    commit(c -> c.clearRange(bytes("a"), bytes("m")));
    tx.set(bytes("f"), bytes("after"));
    assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
    assertThat(read("f")).isNull();
  }

  @Test
  void aRangeClearedAfterTheSnapshotElsewhereDoesNotConflict() {
    commit(c -> c.set(bytes("f"), bytes("before")));
    EngineTransaction tx = begunWithSnapshot();
    commit(c -> c.clearRange(bytes("n"), bytes("z")));
    tx.set(bytes("f"), bytes("after"));
    tx.setStamped(bytes("s/"), bytes("stamped"));
    tx.commit();
    assertThat(read("f")).isEqualTo("after");
    assertThat(read(new String(stamped("s/", tx.commitVersion(), 0), StandardCharsets.ISO_8859_1)))
        .isEqualTo("stamped");
  }

  @Test
  void aSequencedAppendAfterTheSnapshotConflictsWithAWriteOfItsCounter() {
    EngineTransaction tx = begunWithSnapshot();
    commit(c -> c.appendSequenced(bytes("counter"), bytes("log/"), bytes("e")));
    tx.set(bytes("counter"), bytes("overwritten"));
    assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
  }

  @Test
  void aPointWrittenAfterTheSnapshotOfASequencedAppendConflictsWithItsWriteOfThatKey() {
    // The append commits on the READ COMMITTED path, judged by transaction ids: the in-snapshot
    // commit's row carries its id.
    EngineTransaction append = begunWithSnapshot();
    commit(c -> c.set(bytes("p"), bytes("in-snapshot")));
    append.appendSequenced(bytes("counter"), bytes("log/"), bytes("e"));
    append.set(bytes("p"), bytes("appender"));
    assertThatThrownBy(append::commit).isInstanceOf(ConflictException.class);
    assertThat(read("p")).isEqualTo("in-snapshot");
  }

  @Test
  void aBlindWriteConflictsWithAWriterInFlight() throws Exception {
    // A second engine on the same store holds its commit after its locks; this one has no hook,
    // so its commit is one pipeline whose first statement takes the snapshot.
    JdbcEngine held = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table)
        .gcInterval(Duration.ofHours(1)).build());
    CountDownLatch reached = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      held.onCommitChecked(() -> {
        reached.countDown();
        try {
          release.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
        try (EngineTransaction tx = held.begin(false)) {
          tx.set(bytes("k"), bytes("first"));
          tx.commit();
        }
      }, threads);
      assertThat(reached.await(1, TimeUnit.MINUTES)).as("the first commit holds its key lock").isTrue();
      CompletableFuture<Void> blind = CompletableFuture.runAsync(() -> commit(tx -> tx.set(bytes("k"), bytes("blind"))), threads);
      awaitKeyLockWaiting(engine.statements(), blind);
      release.countDown();
      first.get(1, TimeUnit.MINUTES);
      assertThatThrownBy(() -> blind.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(ConflictException.class);
      assertThat(read("k")).isEqualTo("first");
    } finally {
      release.countDown();
      threads.shutdownNow();
      held.close();
    }
  }

  @Test
  void aHoldPlacedAfterTheSnapshotLogsTheCommit() {
    EngineTransaction tx = begunWithSnapshot();
    ChangeFeed feed = engine.changeFeed();
    long start = feed.placeHold("late-hold");
    tx.set(bytes("k"), bytes("logged"));
    tx.commit();
    List<String> changed = new ArrayList<>();
    try (ChangeFeed.ChangeCursor changes = feed.changesAfter(start, feed.currentVersion())) {
      changes.forEachRemaining(c -> c.writes().forEach(w -> changed.add(new String(w.key(), StandardCharsets.UTF_8))));
    }
    assertThat(changed).containsExactly("k");
  }

  @Test
  void aHoldPlacedByAnotherProcessSinceTheLastCommitLogsTheNextCommit() {
    commit(tx -> tx.set(bytes("before"), bytes("unlogged")));
    assertThat(engine.sendsChangeLogForTest(false)).as("no hold seen: the write goes without the log")
        .isFalse();
    long start;
    try (JdbcEngine other = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL)
        .table(table).gcInterval(Duration.ofHours(1)).build())) {
      start = other.changeFeed().placeHold("other-process");
    }
    EngineTransaction tx = begunWithSnapshot(); // its snapshot sees the hold
    tx.set(bytes("k"), bytes("logged"));
    tx.setStamped(bytes("s/"), bytes("stamped"));
    tx.commit();
    assertThat(read("k")).isEqualTo("logged");
    assertThat(changedKeysAfter(start)).containsExactly("k", "s/");
    assertThat(engine.sendsChangeLogForTest(false)).as("the hold is seen now").isTrue();
    commit(t -> t.set(bytes("k2"), bytes("logged too")));
    assertThat(changedKeysAfter(start)).containsExactly("k", "s/", "k2");
    engine.changeFeed().releaseHold("other-process");
    commit(t -> t.set(bytes("k3"), bytes("after the hold")));
    assertThat(engine.sendsChangeLogForTest(false)).as("the hold is gone").isFalse();
  }

  @Test
  void aStampFloorRaisedAfterTheSnapshotHoldsForItsStampedKeys() {
    EngineTransaction tx = begunWithSnapshot();
    long floor = 1L << 40;
    engine.raiseStampFloor(floor);
    tx.setStamped(bytes("s/"), bytes("v"));
    tx.commit();
    assertThat(tx.commitVersion()).isGreaterThanOrEqualTo(floor);
    assertThat(read(new String(stamped("s/", tx.commitVersion(), 0), StandardCharsets.ISO_8859_1)))
        .isEqualTo("v");
  }

  /** The keys (stamped ones by their prefix's two bytes) the change log holds after {@code start}. */
  private List<String> changedKeysAfter(long start) {
    ChangeFeed feed = engine.changeFeed();
    List<String> changed = new ArrayList<>();
    try (ChangeFeed.ChangeCursor changes = feed.changesAfter(start, feed.currentVersion())) {
      changes.forEachRemaining(c -> c.writes().forEach(w -> {
        String key = new String(w.key(), StandardCharsets.ISO_8859_1);
        changed.add(key.startsWith("s/") ? "s/" : key);
      }));
    }
    return changed;
  }

  /** A write transaction whose snapshot is taken (by a read). */
  private EngineTransaction begunWithSnapshot() {
    EngineTransaction tx = engine.begin(false);
    tx.get(bytes("unrelated"));
    return tx;
  }

  private void commit(Consumer<EngineTransaction> work) {
    try (EngineTransaction tx = engine.begin(false)) {
      work.accept(tx);
      tx.commit();
    }
  }

  private String read(String key) {
    try (EngineTransaction tx = engine.begin(true)) {
      byte[] v = tx.get(key.getBytes(StandardCharsets.ISO_8859_1));
      return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }
  }

  private static byte[] stamped(String prefix, long version, int order) {
    byte[] p = bytes(prefix);
    byte[] out = Arrays.copyOf(p, p.length + Stamp.LENGTH);
    new Stamp(version, order).writeTo(out, p.length);
    return out;
  }

  /** Polls the server until a key lock request waits, or fails. */
  private static void awaitKeyLockWaiting(Statements sql, CompletableFuture<?> blind) throws Exception {
    long lock = KeyLocks.of(sql.keyLockSeed, List.of(bytes("k")))[0];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL);
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND NOT granted AND objsubid = 1 AND classid = ?::oid AND objid = ?::oid")) {
      ps.setLong(1, lock >>> 32);
      ps.setLong(2, lock & 0xffffffffL);
      while (true) {
        assertThat(blind).as("the blind write returned while the first commit held its key").isNotDone();
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        assertThat(System.nanoTime()).as("the blind write waiting for the key lock").isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
