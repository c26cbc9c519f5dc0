package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.Capability;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Relaxed durability on PostgreSQL ({@link Capability#RELAXED_DURABILITY}): a transaction that
 * asks for it commits its sequenced appends with {@code synchronous_commit = off} in force for
 * its data transaction only; every other transaction keeps the server's setting. A trigger on the
 * store's key table records the setting in force when each row is written.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PostgresRelaxedCommitTest {

  private static final byte[] COUNTER = bytes("counter");
  private static final byte[] LOG = bytes("log/");

  private String table;
  private JdbcEngine engine;

  @BeforeEach
  void open() throws SQLException {
    table = TestDatabases.freshTable();
    engine = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table)
        .poolSize(1).gcInterval(Duration.ofHours(1)).build());
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + "_probe (n bigserial, k bytea, sc text)");
      st.execute("CREATE FUNCTION " + table + "_probe() RETURNS trigger LANGUAGE plpgsql AS $$"
          + " BEGIN INSERT INTO " + table + "_probe (k, sc) VALUES (NEW.k, current_setting('synchronous_commit'));"
          + " RETURN NEW; END $$");
      st.execute("CREATE TRIGGER " + table + "_probe AFTER INSERT OR UPDATE ON " + table
          + " FOR EACH ROW EXECUTE FUNCTION " + table + "_probe()");
    }
  }

  @AfterEach
  void close() throws SQLException {
    engine.close();
    TestDatabases.dropStore(SqlDialect.POSTGRESQL, table);
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + table + "_probe");
      st.execute("DROP FUNCTION IF EXISTS " + table + "_probe()");
    }
  }

  @Test
  void theEngineDeclaresTheCapability() {
    assertThat(engine.capabilities()).contains(Capability.RELAXED_DURABILITY);
  }

  @Test
  void aRelaxedAppendCommitsWithoutWaitingForTheFlushAndOnlyItself() throws SQLException {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.relaxDurability();
      tx.set(bytes("due"), bytes("moved"));
      tx.appendSequenced(COUNTER, LOG, bytes("e0"));
      tx.commit();
      assertThat(tx.sequenceStart(COUNTER)).isZero();
    }
    assertThat(settings()).as("synchronous_commit as each row of the relaxed commit was written")
        .containsOnly("off").hasSize(3);
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(bytes("other"), bytes("v"));
      tx.appendSequenced(COUNTER, LOG, bytes("e1"));
      tx.commit();
      assertThat(tx.sequenceStart(COUNTER)).isEqualTo(1);
    }
    List<String> all = settings();
    assertThat(all.subList(3, all.size())).as("the next commit on the same pooled connection")
        .containsOnly(serverSetting()).doesNotContain("off").hasSize(3);
    try (EngineTransaction tx = engine.begin(true)) {
      assertThat(tx.get(bytes("due"))).isEqualTo(bytes("moved"));
    }
  }

  private static String serverSetting() throws SQLException {
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW synchronous_commit")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The setting in force for each row written so far, in write order. */
  private List<String> settings() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sc FROM " + table + "_probe ORDER BY n")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
