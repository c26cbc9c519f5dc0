package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.ConflictException;
import io.tito.spi.ChangeFeed;
import io.tito.spi.EngineTransaction;
import io.tito.tuple.Tuple;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MariaDB: commits of one engine that queue while another holds the version row lock are sent
 * together ({@link CommitGroup}, {@link GroupCommit}). Each test makes a group of a known size and
 * order: the first commit leads and waits (a test hook) until the others have queued, one at a
 * time. Each member must get what it would get committing alone right after the earlier ones.
 */
class MariaDbCommitGroupTest {

  @RegisterExtension
  static final TestDatabases.FreshStores STORES = new TestDatabases.FreshStores();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Commits {@code txs} as one group, in this order; each result is null or its failure. */
  private static List<RuntimeException> commitAsOneGroup(JdbcEngine engine, List<EngineTransaction> txs)
      throws Exception {
    return CommitGroupTesting.commitAsOneGroup(engine.commitWriter().commitGroupForTest(), txs);
  }

  private static JdbcEngine open(String table) {
    return JdbcEngine.open(TestDatabases.options(SqlDialect.MARIADB).table(table).build());
  }

  private static long versionRow(String table) throws Exception {
    try (Connection c = TestDatabases.connect(SqlDialect.MARIADB); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM `" + table + "_meta` WHERE id = 1")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void membersTakeConsecutiveVersionsInOrderAndTheirAppendsContinueEachOther() throws Exception {
    String table = STORES.newTable(SqlDialect.MARIADB);
    try (JdbcEngine engine = open(table)) {
      byte[] counter = b("counter");
      try (EngineTransaction tx = engine.begin(false)) { // the counter exists before the group
        tx.appendSequenced(counter, b("log/"), b("first"));
        tx.commit();
      }
      List<EngineTransaction> txs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        EngineTransaction tx = engine.begin(false);
        if (i % 2 == 1) {
          tx.get(b("own/" + i)); // half of them read: a snapshot of their own
        }
        tx.set(b("own/" + i), b("v" + i));
        tx.appendSequenced(counter, b("log/"), b("m" + i));
        tx.appendSequenced(counter, b("log/"), b("m" + i + "b"));
        tx.setStamped(b("all/"), b("s" + i));
        txs.add(tx);
      }
      assertThat(commitAsOneGroup(engine, txs)).containsOnlyNulls();
      long first = txs.get(0).commitVersion();
      for (int i = 0; i < 4; i++) {
        assertThat(txs.get(i).commitVersion()).as("member %d's version", i).isEqualTo(first + i);
        assertThat(txs.get(i).sequenceStart(counter)).as("member %d's positions", i).isEqualTo(1 + 2L * i);
      }
      assertThat(versionRow(table)).as("the version row ends at the last member's").isEqualTo(first + 3);
      try (EngineTransaction r = engine.begin(true)) {
        for (int i = 0; i < 4; i++) {
          assertThat(r.get(b("own/" + i))).isEqualTo(b("v" + i));
          assertThat(r.get(concat(b("log/"), Tuple.of(1 + 2L * i).pack()))).isEqualTo(b("m" + i));
          assertThat(r.get(concat(b("log/"), Tuple.of(2 + 2L * i).pack()))).isEqualTo(b("m" + i + "b"));
        }
        assertThat(r.get(counter)).isEqualTo(Tuple.of(9L).pack());
      }
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(b("after"), b("x"));
        tx.setStamped(b("all/"), b("after"));
        tx.commit();
        assertThat(tx.commitVersion()).as("the next commit's version").isEqualTo(first + 4);
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] c) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + c.length);
    System.arraycopy(c, 0, out, a.length, c.length);
    return out;
  }

  @Test
  void aMemberWritingAKeyAnEarlierMemberWritesConflictsAndTheOthersCommit() throws Exception {
    String table = STORES.newTable(SqlDialect.MARIADB);
    try (JdbcEngine engine = open(table)) {
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(b("k"), b("0"));
        tx.commit();
      }
      EngineTransaction first = engine.begin(false);
      EngineTransaction second = engine.begin(false);
      EngineTransaction other = engine.begin(false);
      for (EngineTransaction tx : List.of(first, second)) {
        assertThat(tx.get(b("k"))).isEqualTo(b("0")); // both read the same value
      }
      first.set(b("k"), b("first"));
      second.set(b("k"), b("second"));
      second.set(b("second-only"), b("x"));
      other.set(b("j"), b("other"));
      for (EngineTransaction tx : List.of(first, second, other)) {
        tx.setStamped(b("all/"), b("stamped")); // for commitVersion
      }
      List<RuntimeException> out = commitAsOneGroup(engine, List.of(first, second, other));
      assertThat(out.get(0)).isNull();
      assertThat(out.get(1)).isInstanceOf(ConflictException.class);
      assertThat(out.get(2)).isNull();
      assertThat(other.commitVersion()).isEqualTo(first.commitVersion() + 1);
      try (EngineTransaction r = engine.begin(true)) {
        assertThat(r.get(b("k"))).isEqualTo(b("first"));
        assertThat(r.get(b("second-only"))).as("nothing of the refused member").isNull();
        assertThat(r.get(b("j"))).isEqualTo(b("other"));
      }
    }
  }

  @Test
  void aBlindMembersExpectationOfAKeyAnEarlierMemberWritesIsAMismatch() throws Exception {
    String table = STORES.newTable(SqlDialect.MARIADB);
    try (JdbcEngine engine = open(table)) {
      EngineTransaction writer = engine.begin(false);
      writer.set(b("unique/a"), b("1"));
      EngineTransaction expecting = engine.begin(false);
      expecting.expect(b("unique/a"), null); // read nothing: its snapshot is the commit's
      expecting.set(b("unique/a2"), b("2"));
      EngineTransaction met = engine.begin(false);
      met.expect(b("unique/b"), null);
      met.set(b("unique/b"), b("3"));
      List<RuntimeException> out = commitAsOneGroup(engine, List.of(writer, expecting, met));
      assertThat(out.get(0)).isNull();
      assertThat(out.get(1)).isInstanceOf(ConflictException.class);
      assertThat(out.get(2)).isNull();
      try (EngineTransaction r = engine.begin(true)) {
        assertThat(r.get(b("unique/a2"))).isNull();
        assertThat(r.get(b("unique/b"))).isEqualTo(b("3"));
      }
    }
  }

  @Test
  void aGroupWhoseMembersAllConflictWritesNothingAndKeepsTheVersion() throws Exception {
    String table = STORES.newTable(SqlDialect.MARIADB);
    try (JdbcEngine engine = open(table)) {
      EngineTransaction a = engine.begin(false);
      EngineTransaction c = engine.begin(false);
      assertThat(a.get(b("k"))).isNull();
      assertThat(c.get(b("k"))).isNull();
      try (EngineTransaction tx = engine.begin(false)) { // after both snapshots
        tx.set(b("k"), b("later"));
        tx.commit();
      }
      long version = versionRow(table);
      a.set(b("k"), b("a"));
      c.set(b("k"), b("c"));
      c.set(b("c-only"), b("c"));
      List<RuntimeException> out = commitAsOneGroup(engine, List.of(a, c));
      assertThat(out).allSatisfy(e -> assertThat(e).isInstanceOf(ConflictException.class));
      assertThat(versionRow(table)).isEqualTo(version);
      try (EngineTransaction r = engine.begin(true)) {
        assertThat(r.get(b("k"))).isEqualTo(b("later"));
        assertThat(r.get(b("c-only"))).isNull();
      }
    }
  }

  @Test
  void aBatchStopsBeforeTheRowLimitAndTheRestCommitsNext() throws Exception {
    String table = STORES.newTable(SqlDialect.MARIADB);
    try (JdbcEngine engine = open(table)) {
      CommitGroup group = engine.commitWriter().commitGroupForTest();
      long membersBefore = group.groupsForTest()[1];
      int each = MultiStatementCommit.MAX_ROWS * 2 / 5; // two fit in one batch, three do not
      List<EngineTransaction> txs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        EngineTransaction tx = engine.begin(false);
        for (int k = 0; k < each; k++) {
          tx.set(b(String.format("m%d/%04d", i, k)), b("v"));
        }
        tx.setStamped(b("all/"), b("s" + i)); // for commitVersion
        txs.add(tx);
      }
      assertThat(commitAsOneGroup(engine, txs)).containsOnlyNulls();
      assertThat(group.groupsForTest()[1]).as("members sent in groups").isEqualTo(membersBefore + 2);
      assertThat(txs.get(2).commitVersion()).isEqualTo(txs.get(1).commitVersion() + 1);
      try (Connection c = TestDatabases.connect(SqlDialect.MARIADB); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM `" + table + "` WHERE k LIKE 'm%'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(3L * each);
      }
    }
  }

  @Test
  void theEnginesGroupWaitsForItsBatchToFill() {
    // How a lingering group forms its batches is CommitGroupLingerTest's; this checks that
    // MariaDB's group is one (a linger of 300 µs cannot be observed here without timing).
    try (JdbcEngine engine = open(STORES.newTable(SqlDialect.MARIADB))) {
      assertThat(engine.commitWriter().commitGroupForTest().lingerNanosForTest())
          .isEqualTo(CommitGroup.LINGER_NANOS).isPositive();
    }
  }

  @Test
  void whileAHoldExistsEachMembersChangesAreLoggedUnderItsOwnVersion() throws Exception {
    String table = STORES.newTable(SqlDialect.MARIADB);
    try (JdbcEngine engine = open(table)) {
      ChangeFeed feed = engine.changeFeed();
      long held = feed.placeHold("group");
      List<EngineTransaction> txs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        EngineTransaction tx = engine.begin(false);
        tx.set(b("k" + i), b("v" + i));
        tx.setStamped(b("all/"), b("s" + i)); // for commitVersion
        if (i == 1) {
          tx.clear(b("gone"));
        }
        txs.add(tx);
      }
      assertThat(commitAsOneGroup(engine, txs)).containsOnlyNulls();
      List<ChangeFeed.Commit> commits = new ArrayList<>();
      try (ChangeFeed.ChangeCursor cursor = feed.changesAfter(held, feed.currentVersion())) {
        cursor.forEachRemaining(commits::add);
      }
      assertThat(commits).hasSize(3);
      for (int i = 0; i < 3; i++) {
        ChangeFeed.Commit commit = commits.get(i);
        assertThat(commit.version()).isEqualTo(txs.get(i).commitVersion());
        List<String> keys = commit.writes().stream()
            .map(w -> new String(w.key(), StandardCharsets.UTF_8))
            .filter(k -> !k.startsWith("all/")).toList();
        assertThat(keys).as("commit %d's writes", i)
            .containsExactlyElementsOf(i == 1 ? List.of("gone", "k1") : List.of("k" + i));
      }
      feed.releaseHold("group");
    }
  }
}
