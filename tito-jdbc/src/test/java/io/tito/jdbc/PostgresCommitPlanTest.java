package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The statements of PostgreSQL's commit pipeline reach the key table by its index even under a
 * generic plan made while the table looked empty (the plan a pooled connection caches after a few
 * executions of a fresh store, and keeps while the table grows). A seq scan there reads the whole
 * table on every commit: {@code k = ANY(?) AND <filter> LIMIT 1} did, and cost milliseconds of
 * server CPU per event append on a table of a few thousand rows.
 */
class PostgresCommitPlanTest {

  @Test
  void commitStatementsUseTheKeyIndexUnderAGenericPlanOfAnEmptyTable() throws SQLException {
    String table = TestDatabases.freshTable();
    JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table).build()).close();
    Statements sql = new Statements(Dialect.POSTGRESQL, null, table);
    List<String> statements = new ArrayList<>();
    for (String pipeline : List.of(sql.pipelinedLockCounters, sql.pipelinedApply,
        sql.snapshotPrepare, sql.snapshotApply, sql.snapshotApplyLean, sql.appendCommit)) {
      for (String s : pipeline.split(";\n")) {
        if (s.contains(Dialect.POSTGRESQL.quote(table) + " ") && !s.startsWith("COMMIT")) {
          statements.add(s);
        }
      }
    }
    assertThat(statements).as("the check, the counters, the deletes and upsert, the in-snapshot"
        + " upsert (with and without the change log), the one-round append commit's check and write").hasSizeGreaterThanOrEqualTo(8);
    Pattern seqScanOfKeys = Pattern.compile("Seq Scan on " + Pattern.quote(table) + "(?![_\\w])");
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("SET plan_cache_mode = force_generic_plan");
      // The session settings the pipelines set before the statements that read them.
      st.execute("SELECT set_config('tito.snapshot', pg_current_snapshot()::text, false),"
          + " set_config('tito.commit', 'x', false), set_config('tito.stamp', '1', false)");
      for (int i = 0; i < statements.size(); i++) {
        String plan = genericPlan(st, "tito_plan_" + i, statements.get(i));
        assertThat(seqScanOfKeys.matcher(plan).find())
            .as("a seq scan of the key table in the plan of%n%s%n%s", statements.get(i), plan).isFalse();
      }
      c.rollback();
    } finally {
      TestDatabases.dropStore(SqlDialect.POSTGRESQL, table);
    }
  }

  /** The plan of {@code sql} (JDBC {@code ?} parameters) under the session's plan cache mode. */
  private static String genericPlan(Statement st, String name, String sql) throws SQLException {
    StringBuilder numbered = new StringBuilder();
    int n = 0;
    for (char ch : sql.toCharArray()) {
      if (ch == '?') {
        numbered.append('$').append(++n);
      } else {
        numbered.append(ch);
      }
    }
    st.execute("PREPARE " + name + " AS " + numbered);
    StringBuilder plan = new StringBuilder();
    try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE " + name
        + (n == 0 ? "" : "(" + String.join(", ", java.util.Collections.nCopies(n, "NULL")) + ")"))) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }
}
