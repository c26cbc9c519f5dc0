package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ByteArrays;
import io.tito.ConflictException;
import io.tito.spi.ChangeFeed;
import io.tito.spi.EngineTransaction;
import io.tito.tuple.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Commits of sequenced appends with point writes in one READ COMMITTED round ({@link
 * AppendCommit}, no test hook installed): the point check and the "hole" (a range clear after the
 * snapshot) it must report, the positions the server assigns (tuple encodings of every length,
 * the same as the client's), and the outcome after a failed notification.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PostgresAppendCommitTest {

  private static final byte[] COUNTER = bytes("counter");
  private static final byte[] LOG = bytes("log/");

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
  void aPointWrittenAfterTheSnapshotConflictsAndNothingIsAppended() {
    commit(c -> c.appendSequenced(COUNTER, LOG, bytes("e0")));
    EngineTransaction tx = begunWithSnapshot();
    commit(c -> c.set(bytes("p"), bytes("other")));
    tx.set(bytes("p"), bytes("mine"));
    tx.appendSequenced(COUNTER, LOG, bytes("e1"));
    assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
    assertThat(read(bytes("p"))).isEqualTo("other");
    assertThat(counter()).isEqualTo(1);
    assertThat(read(position(1))).isNull();
  }

  @Test
  void aRangeClearedAfterTheSnapshotConflictsWithAnExistingPointOfTheAppend() {
    commit(c -> c.set(bytes("f"), bytes("before")));
    EngineTransaction tx = begunWithSnapshot();
    commit(c -> c.clearRange(bytes("a"), bytes("m")));
    tx.set(bytes("f"), bytes("after"));
    tx.appendSequenced(COUNTER, LOG, bytes("e0"));
    assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
    assertThat(read(bytes("f"))).isNull();
    assertThat(counter()).isZero();
  }

  @Test
  void aRangeClearedAfterTheSnapshotConflictsWithAnAbsentPointOfTheAppend() {
    EngineTransaction tx = begunWithSnapshot();
    commit(c -> c.clearRange(bytes("a"), bytes("m")));
    tx.set(bytes("f"), bytes("v"));
    tx.appendSequenced(COUNTER, LOG, bytes("e0"));
    assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
    assertThat(read(bytes("f"))).isNull();
    assertThat(counter()).isZero();
  }

  @Test
  void aRangeClearedElsewhereAfterTheSnapshotDoesNotConflict() {
    commit(c -> c.set(bytes("f"), bytes("before")));
    commit(c -> c.appendSequenced(COUNTER, LOG, bytes("e0")));
    EngineTransaction tx = begunWithSnapshot();
    commit(c -> c.clearRange(bytes("n"), bytes("z")));
    commit(c -> c.appendSequenced(COUNTER, LOG, bytes("e1")));
    tx.set(bytes("f"), bytes("after"));
    tx.appendSequenced(COUNTER, LOG, bytes("e2"));
    tx.commit();
    assertThat(tx.sequenceStart(COUNTER)).isEqualTo(2);
    assertThat(read(bytes("f"))).isEqualTo("after");
    assertThat(read(position(2))).isEqualTo("e2");
    assertThat(counter()).isEqualTo(3);
  }

  @Test
  void aTransactionThatReadNothingCommitsInItsOwnSnapshotAndNeverConflicts() {
    commit(c -> c.appendSequenced(COUNTER, LOG, bytes("e0")));
    long blind = engine.blindAppendCommitsForTest();
    EngineTransaction tx = engine.begin(false); // reads nothing
    commit(c -> c.set(bytes("p"), bytes("other"))); // after begin, before the commit
    tx.set(bytes("p"), bytes("mine"));
    tx.appendSequenced(COUNTER, LOG, bytes("e1"));
    tx.appendSequenced(COUNTER, LOG, bytes("e2"));
    tx.commit(); // its snapshot is taken at commit: the other write is in it, no conflict
    assertThat(engine.blindAppendCommitsForTest()).isEqualTo(blind + 1);
    assertThat(tx.sequenceStart(COUNTER)).isEqualTo(1);
    assertThat(read(bytes("p"))).isEqualTo("mine");
    assertThat(read(position(1))).isEqualTo("e1");
    assertThat(read(position(2))).isEqualTo("e2");
    assertThat(counter()).isEqualTo(3);
  }

  @Test
  void aTransactionWhoseOnlyReadsAreExpectationsCommitsBlindAndIsJudgedByThem() {
    commit(c -> {
      c.appendSequenced(COUNTER, LOG, bytes("e0"));
      c.set(bytes("head"), bytes("h1"));
    });
    long blind = engine.blindAppendCommitsForTest();
    EngineTransaction wrong = engine.begin(false);
    wrong.expect(bytes("head"), bytes("h0")); // deferred: nothing sent
    wrong.expect(bytes("p"), null);
    wrong.set(bytes("p"), bytes("wrong"));
    wrong.appendSequenced(COUNTER, LOG, bytes("e1"));
    assertThatThrownBy(wrong::commit).isInstanceOf(ConflictException.class)
        .hasMessageContaining("expected");
    wrong.close();
    assertThat(read(bytes("p"))).isNull();
    assertThat(counter()).as("nothing appended").isEqualTo(1);
    EngineTransaction taken = engine.begin(false);
    commit(c -> c.set(bytes("p"), bytes("other"))); // after begin: in the blind snapshot
    taken.expect(bytes("head"), bytes("h1"));
    taken.expect(bytes("p"), null);
    taken.set(bytes("p"), bytes("mine"));
    taken.appendSequenced(COUNTER, LOG, bytes("e1"));
    assertThatThrownBy(taken::commit).isInstanceOf(ConflictException.class);
    taken.close();
    assertThat(read(bytes("p"))).isEqualTo("other");
    assertThat(counter()).isEqualTo(1);
    EngineTransaction met = engine.begin(false);
    met.expect(bytes("head"), bytes("h1"));
    met.expect(bytes("q"), null);
    met.set(bytes("q"), bytes("mine"));
    met.appendSequenced(COUNTER, LOG, bytes("e1"));
    met.commit();
    assertThat(engine.blindAppendCommitsForTest()).as("committed blind").isEqualTo(blind + 1);
    assertThat(read(bytes("q"))).isEqualTo("mine");
    assertThat(read(position(1))).isEqualTo("e1");
    assertThat(counter()).isEqualTo(2);
  }

  @Test
  void aTransactionThatReadIsJudgedAgainstItsSnapshotNotBlind() {
    commit(c -> c.appendSequenced(COUNTER, LOG, bytes("e0")));
    long blind = engine.blindAppendCommitsForTest();
    EngineTransaction tx = engine.begin(false);
    assertThat(tx.get(bytes("p"))).isNull();
    commit(c -> c.set(bytes("p"), bytes("other")));
    tx.set(bytes("p"), bytes("mine"));
    tx.appendSequenced(COUNTER, LOG, bytes("e1"));
    assertThatThrownBy(tx::commit).isInstanceOf(ConflictException.class);
    assertThat(engine.blindAppendCommitsForTest()).isEqualTo(blind);
    assertThat(read(bytes("p"))).isEqualTo("other");
    assertThat(read(position(1))).isNull();
    assertThat(counter()).isEqualTo(1);
  }

  @Test
  void positionsContinueFromTheLatestCountersAcrossEveryEncodingLength() {
    long[] starts = {0, 1, 254, 255, 65_535, 16_777_215, 4_294_967_295L, 1L << 40, 1L << 48,
        (1L << 56) - 1, Long.MAX_VALUE - 3};
    for (long start : starts) {
      byte[] counter = bytes("c" + start);
      byte[] prefix = bytes("l" + start + "/");
      if (start > 0) {
        commit(c -> c.set(counter, Tuple.of(start).pack())); // the classic path's counter
      }
      EngineTransaction tx = begunWithSnapshot(); // reads nothing it writes; the counter moves after
      commit(c -> c.appendSequenced(counter, prefix, bytes("other")));
      tx.appendSequenced(counter, prefix, bytes("a"));
      tx.appendSequenced(COUNTER, LOG, bytes("x"));
      tx.appendSequenced(counter, prefix, bytes("b"));
      tx.set(bytes("point" + start), bytes("p"));
      tx.commit();
      assertThat(tx.sequenceStart(counter)).as("start after %s", start).isEqualTo(start + 1);
      assertThat(read(ByteArrays.concat(prefix, Tuple.of(start).pack()))).isEqualTo("other");
      assertThat(read(ByteArrays.concat(prefix, Tuple.of(start + 1).pack()))).isEqualTo("a");
      assertThat(read(ByteArrays.concat(prefix, Tuple.of(start + 2).pack()))).isEqualTo("b");
      assertThat(Tuple.unpack(readBytes(counter)).getLong(0)).isEqualTo(start + 3);
      assertThat(read(bytes("point" + start))).isEqualTo("p");
    }
    assertThat(counter()).isEqualTo(starts.length);
  }

  @Test
  void aCounterClearedToATombstoneStartsAgainAtZero() {
    commit(c -> c.appendSequenced(COUNTER, LOG, bytes("e0")));
    commit(c -> c.clear(COUNTER));
    try (EngineTransaction tx = engine.begin(false)) {
      tx.appendSequenced(COUNTER, bytes("other/"), bytes("e"));
      tx.commit();
      assertThat(tx.sequenceStart(COUNTER)).isZero();
    }
    assertThat(read(ByteArrays.concat(bytes("other/"), Tuple.of(0L).pack()))).isEqualTo("e");
  }

  @Test
  void aHoldPlacedAfterTheSnapshotLogsTheAppend() {
    EngineTransaction tx = begunWithSnapshot();
    ChangeFeed feed = engine.changeFeed();
    long start = feed.placeHold("late-hold");
    tx.appendSequenced(COUNTER, LOG, bytes("e0"));
    tx.set(bytes("k"), bytes("v"));
    tx.commit();
    List<String> changed = new ArrayList<>();
    try (ChangeFeed.ChangeCursor changes = feed.changesAfter(start, feed.currentVersion())) {
      changes.forEachRemaining(c -> c.writes().forEach(w -> changed.add(ByteArrays.printable(w.key()))));
    }
    assertThat(changed).containsExactlyInAnyOrder(ByteArrays.printable(COUNTER),
        ByteArrays.printable(bytes("k")), ByteArrays.printable(position(0)));
  }

  @Test
  void aHoldPlacedByAnotherProcessSinceTheLastAppendLogsTheNextAppend() {
    commit(c -> c.appendSequenced(COUNTER, LOG, bytes("unlogged")));
    assertThat(engine.sendsChangeLogForTest(true)).as("no hold seen: the write goes without the log")
        .isFalse();
    long start;
    try (JdbcEngine other = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL)
        .table(table).gcInterval(Duration.ofHours(1)).build())) {
      start = other.changeFeed().placeHold("other-process");
    }
    commit(c -> {
      c.appendSequenced(COUNTER, LOG, bytes("e1"));
      c.set(bytes("k"), bytes("v"));
    });
    assertThat(read(position(1))).isEqualTo("e1");
    assertThat(changedAfter(start)).containsExactly(ByteArrays.printable(COUNTER),
        ByteArrays.printable(bytes("k")), ByteArrays.printable(position(1)));
    assertThat(engine.sendsChangeLogForTest(true)).as("the hold is seen now").isTrue();
    commit(c -> c.appendSequenced(COUNTER, LOG, bytes("e2")));
    assertThat(changedAfter(start)).containsExactly(ByteArrays.printable(COUNTER),
        ByteArrays.printable(bytes("k")), ByteArrays.printable(position(1)),
        ByteArrays.printable(COUNTER), ByteArrays.printable(position(2)));
    engine.changeFeed().releaseHold("other-process");
    commit(c -> c.appendSequenced(COUNTER, LOG, bytes("e3")));
    assertThat(engine.sendsChangeLogForTest(true)).as("the hold is gone").isFalse();
    assertThat(read(position(3))).isEqualTo("e3");
  }

  private List<String> changedAfter(long start) {
    ChangeFeed feed = engine.changeFeed();
    List<String> changed = new ArrayList<>();
    try (ChangeFeed.ChangeCursor changes = feed.changesAfter(start, feed.currentVersion())) {
      changes.forEachRemaining(c -> c.writes().forEach(w -> changed.add(ByteArrays.printable(w.key()))));
    }
    return changed;
  }

  @Test
  void aHoldInPlaceLogsEveryAppendInKeyOrder() {
    ChangeFeed feed = engine.changeFeed();
    long start = feed.placeHold("hold");
    commit(c -> {
      c.appendSequenced(COUNTER, LOG, bytes("e0"));
      c.appendSequenced(COUNTER, LOG, bytes("e1"));
      c.set(bytes("k"), bytes("v"));
    });
    List<String> changed = new ArrayList<>();
    try (ChangeFeed.ChangeCursor changes = feed.changesAfter(start, feed.currentVersion())) {
      changes.forEachRemaining(c -> c.writes().forEach(w -> changed.add(ByteArrays.printable(w.key()))));
    }
    assertThat(changed).containsExactly(ByteArrays.printable(COUNTER), ByteArrays.printable(bytes("k")),
        ByteArrays.printable(position(0)), ByteArrays.printable(position(1)));
  }

  @Test
  void aFailedNotificationAfterTheDataCommitStillReportsTheAppendAndItsPosition() throws Exception {
    commit(c -> c.appendSequenced(COUNTER, LOG, bytes("e0")));
    engine.failNotificationsForTest(true);
    try (EngineTransaction tx = engine.begin(false)) {
      tx.notifyOnCommit("events", "p1");
      tx.appendSequenced(COUNTER, LOG, bytes("e1"));
      tx.commit();
      assertThat(tx.sequenceStart(COUNTER)).isEqualTo(1);
    } finally {
      engine.failNotificationsForTest(false);
    }
    assertThat(read(position(1))).isEqualTo("e1");
    // The pool's connections go on committing and notifying.
    JdbcEngine listener = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table)
        .gcInterval(Duration.ofHours(1)).build());
    try {
      Semaphore events = new Semaphore(0);
      listener.listen("events", payload -> events.release());
      for (int i = 0; i < 3; i++) {
        int n = i;
        commit(c -> {
          c.notifyOnCommit("events", "p" + n);
          c.appendSequenced(COUNTER, LOG, bytes("f" + n));
        });
      }
      assertThat(events.tryAcquire(3, 30, TimeUnit.SECONDS)).as("notified by later appends").isTrue();
    } finally {
      listener.close();
    }
    assertThat(counter()).isEqualTo(5);
  }

  @Test
  void theWriteStatementRunsItsGenericPlanAndThePlanModeEndsWithTheCommit() throws Exception {
    // One pooled connection, so every commit's statements are prepared on it (pgjdbc names a
    // statement from its fifth execution; PostgreSQL's first five executions of a named one are
    // custom plans under plan_cache_mode auto, and it kept choosing custom ones for this statement).
    JdbcEngine single = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table)
        .poolSize(1).gcInterval(Duration.ofHours(1)).build());
    try {
      for (int i = 0; i < 12; i++) {
        try (EngineTransaction tx = single.begin(false)) {
          tx.appendSequenced(COUNTER, LOG, bytes("e" + i));
          tx.set(bytes("p"), bytes("v" + i));
          tx.commit();
          assertThat(tx.sequenceStart(COUNTER)).isEqualTo(i);
        }
      }
      try (java.sql.Connection c = single.poolForCurrentThread().getConnection();
          java.sql.Statement st = c.createStatement()) {
        try (java.sql.ResultSet rs = st.executeQuery("SELECT generic_plans, custom_plans"
            + " FROM pg_prepared_statements WHERE statement LIKE '%WITH cn AS MATERIALIZED%'")) {
          assertThat(rs.next()).as("the write statement is server-prepared").isTrue();
          assertThat(rs.getLong(2)).as("custom plans of the write statement").isZero();
          assertThat(rs.getLong(1)).as("generic plans of the write statement").isGreaterThanOrEqualTo(5);
        }
        try (java.sql.ResultSet rs = st.executeQuery("SHOW plan_cache_mode")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).as("the setting is the commit transaction's only").isEqualTo("auto");
        }
      }
    } finally {
      single.close();
    }
    assertThat(counter()).isEqualTo(12);
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

  private long counter() {
    return StoreReads.counter(engine, COUNTER);
  }

  private static byte[] position(long p) {
    return ByteArrays.concat(LOG, Tuple.of(p).pack());
  }

  private byte[] readBytes(byte[] key) {
    return StoreReads.bytes(engine, key);
  }

  private String read(byte[] key) {
    return StoreReads.text(engine, key);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
