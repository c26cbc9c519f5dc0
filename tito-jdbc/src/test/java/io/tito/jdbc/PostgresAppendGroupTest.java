package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ByteArrays;
import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.spi.EngineTransaction;
import io.tito.tuple.Tuple;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL: publishes that read nothing, queued while another commit of the engine is in
 * progress, commit as one ({@link AppendGroup}). Each test makes a batch of a known order (the
 * first commit leads and waits, a test hook, until the others queued). The merged commit is one
 * blind append commit ({@code blindAppendCommitsForTest} counts one); every member must get what
 * it would get committing alone right after the earlier ones. One test loses the group's
 * connections on a private PostgreSQL ({@link ThrowawayPostgres}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PostgresAppendGroupTest extends PostgresGroupFixture {

  private static final byte[] COUNTER = b("counter");
  private static final byte[] LOG = b("log/");

  @Test
  void membersCommitAsOneWithAppendsThatContinueEachOtherAndPointsInOrder() throws Exception {
    commit(tx -> tx.appendSequenced(COUNTER, LOG, b("e0"))); // the counter exists before
    List<EngineTransaction> txs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      EngineTransaction tx = engine.begin(false); // reads nothing
      tx.set(b("own/" + i), b("v" + i));
      tx.set(b("shared"), b("from " + i)); // the last member's write stays
      tx.appendSequenced(COUNTER, LOG, b("m" + i));
      tx.appendSequenced(COUNTER, LOG, b("m" + i + "b"));
      if (i == 2) {
        tx.appendSequenced(b("other"), b("olog/"), b("o2")); // a counter of its own
        tx.clear(b("gone")); // a point clear: a tombstone
      }
      txs.add(tx);
    }
    long blind = engine.blindAppendCommitsForTest();
    assertThat(commitAsOneGroup(txs)).containsOnlyNulls();
    assertThat(engine.blindAppendCommitsForTest()).as("one merged commit").isEqualTo(blind + 1);
    for (int i = 0; i < 4; i++) {
      assertThat(txs.get(i).sequenceStart(COUNTER)).as("member %d's first position", i)
          .isEqualTo(1 + 2L * i);
      assertThat(read(b("own/" + i))).isEqualTo("v" + i);
      assertThat(read(position(LOG, 1 + 2L * i))).isEqualTo("m" + i);
      assertThat(read(position(LOG, 2 + 2L * i))).isEqualTo("m" + i + "b");
    }
    assertThat(txs.get(2).sequenceStart(b("other"))).isZero();
    assertThat(read(position(b("olog/"), 0))).isEqualTo("o2");
    assertThat(read(b("shared"))).isEqualTo("from 3");
    assertThat(counter(COUNTER)).isEqualTo(9);
    assertThat(counter(b("other"))).isEqualTo(1);
    commit(tx -> tx.appendSequenced(COUNTER, LOG, b("after")));
    assertThat(read(position(LOG, 9))).as("the next append continues").isEqualTo("after");
  }

  @Test
  void aMemberWhoseExpectationFailsIsRefusedAloneAndTheOthersCommit() throws Exception {
    commit(tx -> tx.set(b("unique/taken"), b("x")));
    EngineTransaction first = blindInsert("unique/a", "a");
    EngineTransaction refused = blindInsert("unique/taken", "mine");
    refused.set(b("refused-only"), b("y"));
    EngineTransaction last = blindInsert("unique/b", "b");
    List<RuntimeException> out = commitAsOneGroup(List.of(first, refused, last));
    assertThat(out.get(0)).isNull();
    assertThat(out.get(1)).isInstanceOf(ConflictException.class);
    assertThat(out.get(2)).isNull();
    assertThat(read(b("unique/a"))).isEqualTo("a");
    assertThat(read(b("unique/b"))).isEqualTo("b");
    assertThat(read(b("unique/taken"))).isEqualTo("x");
    assertThat(read(b("refused-only"))).as("nothing of the refused member").isNull();
    assertThat(first.sequenceStart(COUNTER)).isZero();
    assertThat(last.sequenceStart(COUNTER)).as("no position left for the refused member")
        .isEqualTo(1);
    assertThat(counter(COUNTER)).isEqualTo(2);
  }

  @Test
  void aMemberExpectingAKeyAnEarlierMemberWritesSeesThatWrite() throws Exception {
    EngineTransaction writer = blindInsert("unique/a", "first");
    EngineTransaction expecting = blindInsert("unique/a", "second"); // expects it absent
    EngineTransaction appendsAfter = engine.begin(false);
    appendsAfter.expect(position(LOG, 0), null); // the writer's appended key: it would see it
    appendsAfter.appendSequenced(COUNTER, LOG, b("third"));
    EngineTransaction other = blindInsert("unique/b", "b");
    List<RuntimeException> out = commitAsOneGroup(List.of(writer, expecting, appendsAfter, other));
    assertThat(out.get(0)).isNull();
    assertThat(out.get(1)).isInstanceOf(ConflictException.class);
    assertThat(out.get(2)).isInstanceOf(ConflictException.class);
    assertThat(out.get(3)).isNull();
    assertThat(read(b("unique/a"))).isEqualTo("first");
    assertThat(read(b("unique/b"))).isEqualTo("b");
    assertThat(counter(COUNTER)).isEqualTo(2);
  }

  @Test
  void membersWhoseWritesCannotMergeCommitEachAloneInOrder() throws Exception {
    EngineTransaction appender = engine.begin(false);
    appender.appendSequenced(COUNTER, LOG, b("e0"));
    EngineTransaction underPrefix = engine.begin(false); // a point where the other appends
    underPrefix.set(position(LOG, 5), b("p"));
    underPrefix.appendSequenced(b("c2"), b("l2/"), b("x"));
    long blind = engine.blindAppendCommitsForTest();
    assertThat(commitAsOneGroup(List.of(appender, underPrefix))).containsOnlyNulls();
    assertThat(engine.blindAppendCommitsForTest()).as("two commits").isEqualTo(blind + 2);
    assertThat(read(position(LOG, 0))).isEqualTo("e0");
    assertThat(read(position(LOG, 5))).isEqualTo("p");
    assertThat(read(position(b("l2/"), 0))).isEqualTo("x");
  }

  @Test
  void everyMembersNotificationsAreSentAfterTheGroupCommits() throws Exception {
    try (JdbcEngine subscriber = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL)
        .table(table).build())) {
      Semaphore a = new Semaphore(0);
      Semaphore c = new Semaphore(0);
      subscriber.listen("chan_a", payload -> a.release());
      subscriber.listen("chan_c", payload -> c.release());
      EngineTransaction first = engine.begin(false);
      first.notifyOnCommit("chan_a");
      first.appendSequenced(COUNTER, LOG, b("a"));
      EngineTransaction second = engine.begin(false);
      second.notifyOnCommit("chan_c");
      second.appendSequenced(COUNTER, LOG, b("c"));
      long blind = engine.blindAppendCommitsForTest();
      assertThat(commitAsOneGroup(List.of(first, second))).containsOnlyNulls();
      assertThat(engine.blindAppendCommitsForTest()).isEqualTo(blind + 1);
      assertThat(a.tryAcquire(10, TimeUnit.SECONDS)).as("the first member's channel").isTrue();
      assertThat(c.tryAcquire(10, TimeUnit.SECONDS)).as("the second member's channel").isTrue();
    }
  }

  @Test
  void aGroupThatMeetsAHoleCommitsEveryMemberAloneAndLogsEach() throws Exception {
    commit(tx -> tx.appendSequenced(COUNTER, LOG, b("unlogged")));
    assertThat(engine.sendsChangeLogForTest(true)).as("no hold seen yet").isFalse();
    long start = holdFromAnotherProcess();
    List<EngineTransaction> txs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      EngineTransaction tx = engine.begin(false);
      tx.set(b("k" + i), b("v" + i));
      tx.appendSequenced(COUNTER, LOG, b("e" + i));
      txs.add(tx);
    }
    assertThat(commitAsOneGroup(txs)).containsOnlyNulls();
    List<String> changed = keysLoggedAfter(start);
    for (int i = 0; i < 3; i++) {
      assertThat(txs.get(i).sequenceStart(COUNTER)).isEqualTo(1 + i);
      assertThat(changed).contains(ByteArrays.printable(b("k" + i)),
          ByteArrays.printable(position(LOG, 1 + i)));
    }
    releaseHold();
  }

  @Test
  void aConnectionLostUnderTheGroupLeavesTheMergedMembersUnknownAndOnlyThem() throws Exception {
    try (ThrowawayPostgres pg = ThrowawayPostgres.start();
        JdbcEngine own = JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(pg.jdbcUrl())
            .user("postgres").table("tito_kv").poolSize(4).connectionTimeout(Duration.ofSeconds(5))
            .build())) {
      EngineTransaction first = blindInsert(own, "unique/a", "first");
      EngineTransaction leftOut = blindInsert(own, "unique/a", "again"); // expects an earlier write
      EngineTransaction third = blindInsert(own, "unique/b", "b");
      CommitGroup group = own.commitWriter().appendGroupForTest(false);
      group.holdNextBatchForTest(4); // more than will come: released below
      List<CompletableFuture<RuntimeException>> out =
          CommitGroupTesting.startInOrder(group, List.of(first, leftOut, third), 3);
      try (Connection admin = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
          Statement st = admin.createStatement()) {
        st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            + " AND backend_type = 'client backend'");
      }
      group.holdNextBatchForTest(0); // the leader goes, on a lost connection
      RuntimeException a = out.get(0).get(60, TimeUnit.SECONDS);
      RuntimeException b = out.get(1).get(60, TimeUnit.SECONDS);
      RuntimeException c = out.get(2).get(60, TimeUnit.SECONDS);
      assertThat(a).isInstanceOf(CommitUnknownException.class);
      assertThat(c).as("the other merged member shares the outcome").isSameAs(a);
      assertThat(b).as("the member left out of the merge commits alone and meets its own")
          .isNotNull().isNotSameAs(a);
      List.of(first, leftOut, third).forEach(EngineTransaction::close);
    }
  }

  private static EngineTransaction blindInsert(JdbcEngine on, String key, String value) {
    EngineTransaction tx = on.begin(false);
    tx.expect(b(key), null);
    tx.set(b(key), b(value));
    tx.appendSequenced(COUNTER, LOG, b(value));
    return tx;
  }

  /** A transaction that reads nothing: a guessed insert of {@code key}, and one append. */
  private EngineTransaction blindInsert(String key, String value) {
    return blindInsert(engine, key, value);
  }

  private List<RuntimeException> commitAsOneGroup(List<EngineTransaction> txs) throws Exception {
    return CommitGroupTesting.commitAsOneGroup(engine.commitWriter().appendGroupForTest(false), txs);
  }

  private long counter(byte[] key) {
    return StoreReads.counter(engine, key);
  }

  private static byte[] position(byte[] prefix, long p) {
    return ByteArrays.concat(prefix, Tuple.of(p).pack());
  }
}
