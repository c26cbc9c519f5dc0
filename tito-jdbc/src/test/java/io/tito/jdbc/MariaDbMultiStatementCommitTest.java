package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ConflictException;
import io.tito.KeyRange;
import io.tito.RangeRead;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MariaDB's commit in two multi-statement queries ({@link MultiStatementCommit}): which engines
 * use it, and the commits that take the statement-per-round-trip protocol beside it (write sets
 * too large for one query) or that it must refuse. The conformance kit runs both protocols
 * ({@code MariaDbEngineConformanceTest}, {@code MariaDbOneStatementConformanceTest}).
 */
class MariaDbMultiStatementCommitTest {

  @RegisterExtension
  static final TestDatabases.FreshStores STORES = new TestDatabases.FreshStores();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anEngineOnItsOwnPoolCommitsInTwoQueriesAndOneWithoutMultiStatementsDoesNot() {
    try (JdbcEngine own = STORES.open(SqlDialect.MARIADB)) {
      assertThat(own.multiStatementCommits()).isTrue();
    }
    JdbcEngineOptions o = TestDatabases.options(SqlDialect.MARIADB).build();
    try (JdbcEngine single = JdbcEngine.open(TestDatabases.options(SqlDialect.MARIADB)
        .jdbcUrl(o.jdbcUrl() + "?allowMultiQueries=false")
        .table(STORES.newTable(SqlDialect.MARIADB)).build())) {
      assertThat(single.multiStatementCommits()).isFalse();
      try (EngineTransaction tx = single.begin(false)) {
        tx.set(b("k"), b("v"));
        tx.commit();
      }
      try (EngineTransaction tx = single.begin(true)) {
        assertThat(tx.get(b("k"))).isEqualTo(b("v"));
      }
    }
  }

  @Test
  void aWriteSetTooLargeForOneQueryCommitsWholeTheOtherWay() throws Exception {
    String table = STORES.newTable(SqlDialect.MARIADB);
    try (JdbcEngine engine = JdbcEngine.open(TestDatabases.options(SqlDialect.MARIADB).table(table).build())) {
      int keys = MultiStatementCommit.MAX_ROWS + 10;
      try (EngineTransaction tx = engine.begin(false)) {
        for (int i = 0; i < keys; i++) {
          tx.set(b(String.format("big/%05d", i)), b("value " + i));
        }
        tx.commit();
      }
      try (Connection c = TestDatabases.connect(SqlDialect.MARIADB); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*), MIN(ver), MAX(ver) FROM `" + table + "`")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(keys);
        assertThat(rs.getLong(2)).isEqualTo(rs.getLong(3)); // one commit version on every row
      }
    }
  }

  @Test
  void aWriteTransactionsSnapshotIsTakenByItsFirstReadWithTheVersionInTheSameQuery() {
    try (JdbcEngine engine = STORES.open(SqlDialect.MARIADB)) {
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(b("x"), b("first"));
        tx.commit();
      }
      EngineTransaction late = engine.begin(false);
      try (EngineTransaction other = engine.begin(false)) { // commits after late's begin
        other.set(b("x"), b("other"));
        other.commit();
      }
      // The first read takes the snapshot: it sees other's commit, so writing x is no conflict.
      assertThat(late.get(b("x"))).isEqualTo(b("other"));
      late.set(b("x"), b("late"));
      late.commit();
      late.close();
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(b("x"))).isEqualTo(b("late"));
      }
    }
  }

  @Test
  void aWriteTransactionWhoseFirstReadIsAScanAllTakesTheVersionWithIt() throws Exception {
    String table = STORES.newTable(SqlDialect.MARIADB);
    try (JdbcEngine engine = JdbcEngine.open(TestDatabases.options(SqlDialect.MARIADB).table(table).build())) {
      for (String k : List.of("r/1", "r/2", "x")) {
        try (EngineTransaction tx = engine.begin(false)) {
          tx.set(b(k), b("v"));
          tx.commit();
        }
      }
      JdbcTransaction reader = (JdbcTransaction) engine.begin(false);
      assertThat(reader.snapshotVersion()).as("nothing read yet").isEqualTo(-1);
      var rows = reader.scanAll(List.of(RangeRead.forward(new KeyRange(b("r/"), b("r0")), 10),
          RangeRead.forward(new KeyRange(b("x"), b("y")), 10)));
      assertThat(rows.get(0)).hasSize(2);
      assertThat(rows.get(1)).hasSize(1);
      try (Connection c = TestDatabases.connect(SqlDialect.MARIADB); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT version FROM `" + table + "_meta` WHERE id = 1")) {
        rs.next();
        assertThat(reader.snapshotVersion()).as("the version the scan read").isEqualTo(rs.getLong(1));
      }
      try (EngineTransaction other = engine.begin(false)) { // after reader's snapshot
        other.set(b("x"), b("other"));
        other.commit();
      }
      reader.set(b("x"), b("reader"));
      assertThatThrownBy(reader::commit).isInstanceOf(ConflictException.class);
      reader.close();
    }
  }

  @Test
  void aConflictFoundInTheFirstQueryWritesNothingAndReleasesTheLock() {
    try (JdbcEngine engine = STORES.open(SqlDialect.MARIADB)) {
      EngineTransaction loser = engine.begin(false);
      loser.get(b("x")); // fixes the snapshot
      loser.set(b("x"), b("loser"));
      loser.set(b("y"), b("loser"));
      loser.clearRange(b("r/"), b("r0"));
      try (EngineTransaction winner = engine.begin(false)) {
        winner.set(b("x"), b("winner"));
        winner.set(b("r/1"), b("winner"));
        winner.commit();
      }
      assertThatThrownBy(loser::commit).isInstanceOf(ConflictException.class);
      loser.close();
      try (EngineTransaction next = engine.begin(false)) { // the version row lock was released
        next.set(b("z"), b("after"));
        next.commit();
      }
      try (EngineTransaction tx = engine.begin(true)) {
        assertThat(tx.get(b("x"))).isEqualTo(b("winner"));
        assertThat(tx.get(b("y"))).isNull();
        assertThat(tx.get(b("r/1"))).isEqualTo(b("winner"));
        assertThat(tx.get(b("z"))).isEqualTo(b("after"));
      }
    }
  }
}
