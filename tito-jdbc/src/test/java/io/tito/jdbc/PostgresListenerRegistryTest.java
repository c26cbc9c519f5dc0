package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.EngineTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The listener registry ({@link ListenerRegistry}): a commit notifies only while another engine
 * listens; listeners of older versions, which do not register, are registered on their behalf;
 * registrations of ended backends are swept. A plain connection that runs {@code LISTEN} stands
 * in for an older version's listener and observes what is sent.
 */
class PostgresListenerRegistryTest {

  private String table;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void fresh() {
    table = TestDatabases.freshTable();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    TestDatabases.dropStore(SqlDialect.POSTGRESQL, table);
  }

  private JdbcEngine engine() {
    JdbcEngine e = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table).build());
    open.add(e);
    return e;
  }

  private Connection listening() throws SQLException {
    Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL);
    open.add(c);
    try (Statement st = c.createStatement()) {
      st.execute("LISTEN " + Dialect.POSTGRESQL.quote(table));
    }
    return c;
  }

  private static void commitNotifying(JdbcEngine engine, String payload, byte key) {
    try (EngineTransaction tx = engine.begin(false)) {
      tx.notifyOnCommit("events", payload);
      tx.set(new byte[] {key}, new byte[] {key});
      tx.commit();
    }
  }

  /** The next notification's payload on {@code c}, waiting up to 30 s. */
  private static String next(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      PGNotification[] got = pg.getNotifications(500);
      if (got != null && got.length > 0) {
        return got[0].getParameter();
      }
    }
    throw new AssertionError("no notification within 30 s");
  }

  private List<String> registered() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL);
        PreparedStatement ps = c.prepareStatement("SELECT pid, engine FROM "
            + Dialect.POSTGRESQL.quote(table + "_listeners") + " ORDER BY pid");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getInt(1) + ":" + rs.getString(2));
      }
    }
    return out;
  }

  /**
   * An engine that is the store's only registered listener sends no notification; once a second
   * engine listens, it does. The observer connection listens from the start, unregistered (it
   * began listening after every sweep that could have registered it), so it sees exactly what
   * was sent: notifications arrive in commit order, and the first it gets is the second commit's.
   */
  @Test
  void anEngineThatIsTheOnlyListenerDoesNotNotify() throws Exception {
    JdbcEngine publisher = engine();
    open.add(publisher.listen("events", payload -> {}));
    assertThat(registered()).singleElement().asString().endsWith(":" + publisher.statements().listenerId);
    Connection observer = listening();

    commitNotifying(publisher, "alone", (byte) 1);
    JdbcEngine other = engine();
    open.add(other.listen("events", payload -> {}));
    commitNotifying(publisher, "heard", (byte) 2);

    assertThat(next(observer)).isEqualTo("events:heard");
  }

  /**
   * A listener of an older version (it listens without registering) is registered when an engine
   * opens, and notified of that engine's commits, though the engine itself never listens.
   */
  @Test
  void aListenerThatDidNotRegisterIsRegisteredAtOpenAndNotified() throws Exception {
    JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table).build()).close(); // the tables
    Connection older = listening();
    int olderPid = older.unwrap(PGConnection.class).getBackendPID();

    JdbcEngine publisher = engine();
    assertThat(registered()).contains(olderPid + ":unregistered");
    commitNotifying(publisher, "p1", (byte) 1);

    assertThat(next(older)).isEqualTo("events:p1");
  }

  /** A registration whose backend has ended is deleted by the next sweep (here, an engine's open). */
  @Test
  void registrationsOfEndedBackendsAreSwept() throws Exception {
    JdbcEngine first = engine();
    open.add(first.listen("events", payload -> {}));
    List<String> before = registered();
    assertThat(before).hasSize(1);
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL); Statement st = c.createStatement()) {
      // A backend id no live backend has: PostgreSQL's pids are positive and below 2^22 on Linux.
      st.execute("INSERT INTO " + Dialect.POSTGRESQL.quote(table + "_listeners")
          + " (pid, engine) VALUES (2147483647, 'gone')");
    }
    assertThat(registered()).hasSize(2);

    engine();

    assertThat(registered()).isEqualTo(before);
  }
}
