package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL's tombstone records (issue 12): every commit path that writes a tombstone records
 * it (version, key) in the store's {@code _dead} table in the same commit; the collector deletes
 * a tombstone through its record only while the row is still that tombstone; a store of the
 * previous schema version keeps its tombstones collectable after the migration; and the key
 * table has no index but its primary key, so updates of an existing key are HOT.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PostgresTombstoneRecordTest {

  private final List<String> tables = new ArrayList<>();
  private final List<JdbcEngine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(JdbcEngine::close);
    tables.forEach(t -> TestDatabases.dropStore(SqlDialect.POSTGRESQL, t));
  }

  @Test
  void aPointClearInsideTheSnapshotRecordsItsTombstone() throws SQLException {
    JdbcEngine engine = open(newTable());
    commit(engine, tx -> {
      tx.set(bytes("a"), bytes("1"));
      tx.set(bytes("b"), bytes("1"));
    });
    commit(engine, tx -> { // SnapshotCommit: points only
      tx.clear(bytes("a"));
      tx.set(bytes("c"), bytes("1"));
    });
    assertThat(records(engine)).containsExactly("a@2").isEqualTo(tombstones(engine));
  }

  @Test
  void aPointClearBesideARangeClearRecordsItsTombstone() throws SQLException {
    JdbcEngine engine = open(newTable());
    commit(engine, tx -> {
      tx.set(bytes("a"), bytes("1"));
      tx.set(bytes("x1"), bytes("1"));
    });
    commit(engine, tx -> { // PipelinedCommit: a range clear
      tx.clear(bytes("a"));
      tx.clearRange(bytes("x"), bytes("y"));
    });
    assertThat(records(engine)).containsExactly("a@2").isEqualTo(tombstones(engine));
  }

  @Test
  void aPointClearBesideASequencedAppendRecordsItsTombstoneAlsoWithNotifications() throws SQLException {
    JdbcEngine engine = open(newTable());
    commit(engine, tx -> tx.set(bytes("a"), bytes("1")));
    commit(engine, tx -> { // AppendCommit: sequenced appends and points
      tx.clear(bytes("a"));
      tx.appendSequenced(bytes("counter"), bytes("log/"), bytes("e0"));
      tx.notifyOnCommit("log");
    });
    assertThat(records(engine)).containsExactly("a@2").isEqualTo(tombstones(engine));
  }

  @Test
  void collectionDeletesTheTombstonesAndTheirRecords() throws SQLException {
    JdbcEngine engine = open(newTable());
    commit(engine, tx -> {
      for (int i = 0; i < 10; i++) {
        tx.set(bytes("k" + i), bytes("v"));
      }
      tx.set(bytes("live"), bytes("v"));
    });
    commit(engine, tx -> {
      for (int i = 0; i < 10; i++) {
        tx.clear(bytes("k" + i));
      }
    });
    assertThat(records(engine)).hasSize(10);
    assertThat(engine.collectTombstonesIgnoringAge()).isEqualTo(10);
    assertThat(records(engine)).isEmpty();
    assertThat(tombstones(engine)).isEmpty();
    assertThat(count(engine, "")).isEqualTo(1);
  }

  @Test
  void aKeyWrittenAgainAfterItsTombstoneIsNotCollected() throws SQLException {
    JdbcEngine engine = open(newTable());
    commit(engine, tx -> {
      tx.set(bytes("again"), bytes("first"));
      tx.set(bytes("twice"), bytes("first"));
    });
    commit(engine, tx -> {
      tx.clear(bytes("again"));
      tx.clear(bytes("twice"));
    });
    commit(engine, tx -> {
      tx.set(bytes("again"), bytes("second"));
      tx.set(bytes("twice"), bytes("second"));
    });
    commit(engine, tx -> tx.clear(bytes("twice")));
    assertThat(records(engine)).containsExactlyInAnyOrder("again@2", "twice@2", "twice@4");
    // The records at version 2 find a row written since: only "twice" at 4 is deleted.
    assertThat(engine.collectTombstonesIgnoringAge()).isEqualTo(1);
    assertThat(records(engine)).isEmpty();
    assertThat(count(engine, "")).isEqualTo(1);
    try (EngineTransaction tx = engine.begin(true)) {
      assertThat(tx.get(bytes("again"))).isEqualTo(bytes("second"));
      assertThat(tx.get(bytes("twice"))).isNull();
    }
  }

  @Test
  void aTombstoneAboveTheHorizonStaysThoughAnOlderRecordOfItsKeyIsDue() throws SQLException {
    JdbcEngine engine = open(newTable());
    commit(engine, tx -> tx.set(bytes("key"), bytes("first")));
    commit(engine, tx -> tx.clear(bytes("key")));
    commit(engine, tx -> tx.set(bytes("key"), bytes("second")));
    long hold = engine.changeFeed().placeHold("backup");
    commit(engine, tx -> tx.clear(bytes("key")));
    // The second clear's version is above the hold's (4, or 5 when its first attempt left the
    // one-round path to log its change: versions may have gaps).
    List<String> records = records(engine);
    assertThat(records).hasSize(2).first().isEqualTo("key@2");
    String second = records.get(1);
    assertThat(Long.parseLong(second.substring("key@".length()))).isGreaterThan(3);
    // Collection stops at the hold (version 3): the record at 2 is due, the second one is not.
    assertThat(hold).isEqualTo(3);
    assertThat(engine.collectTombstonesIgnoringAge()).isZero();
    assertThat(records(engine)).containsExactly(second).isEqualTo(tombstones(engine));
    engine.changeFeed().releaseHold("backup");
    assertThat(engine.collectTombstonesIgnoringAge()).isEqualTo(1);
    assertThat(records(engine)).isEmpty();
    assertThat(tombstones(engine)).isEmpty();
  }

  @Test
  void updatesOfAnExistingKeyAreHot() throws Exception {
    String table = newTable();
    JdbcEngine engine = open(table);
    int updates = 40;
    for (int i = 0; i <= updates; i++) {
      int n = i;
      commit(engine, tx -> tx.set(bytes("header"), bytes("version " + n)));
    }
    assertThat(indexes(table)).containsExactly(table + "_pkey");
    // The statistics reach pg_stat_user_tables when the writers' backends flush them (idle, at
    // most a second later): wait until every update is counted.
    long[] counted;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((counted = updateCounts(table))[0] < updates) {
      assertThat(System.nanoTime()).as("updates counted by the server").isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(counted[1]).as("HOT updates of %s", counted[0]).isGreaterThanOrEqualTo(counted[0] * 9 / 10);
  }

  @Test
  void aStoreOfSchemaVersion5KeepsItsTombstonesCollectable() throws SQLException {
    String table = newTable();
    Statements sql = new Statements(Dialect.POSTGRESQL, "public", table);
    int previous = 5; // before step 6 moved tombstones into a table of their own
    // The store as version 5 left it: its steps, a live row, two tombstones.
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL); Statement st = c.createStatement()) {
      st.execute(sql.createVersions);
      for (int v = 0; v < previous; v++) {
        for (String s : sql.migrations.get(v)) {
          st.execute(s);
        }
        st.execute("INSERT INTO " + sql.dialect.quote(table + "_schema") + " (version) VALUES (" + (v + 1) + ")");
      }
      String row = "INSERT INTO " + sql.kvTable + " (k, v, ver, xid) SELECT ?, ?,"
          + " nextval('" + sql.dialect.quote(table + "_versions") + "'::regclass), pg_current_xact_id()";
      try (PreparedStatement ps = c.prepareStatement(row)) {
        for (String[] kv : new String[][] {{"live", "v"}, {"gone1", null}, {"gone2", null}}) {
          ps.setBytes(1, bytes(kv[0]));
          ps.setBytes(2, kv[1] == null ? null : bytes(kv[1]));
          ps.executeUpdate();
        }
      }
    }
    assertThat(indexes(table)).contains(table + "_tombstones");
    JdbcEngine engine = open(table);
    assertThat(records(engine)).containsExactlyInAnyOrder("gone1@2", "gone2@3").isEqualTo(tombstones(engine));
    assertThat(indexes(table)).containsExactly(table + "_pkey");
    assertThat(fillFactor(table)).isEqualTo("fillfactor=90");
    assertThat(engine.collectTombstonesIgnoringAge()).isEqualTo(2);
    assertThat(records(engine)).isEmpty();
    assertThat(count(engine, "")).isEqualTo(1);
  }

  private String newTable() {
    String table = TestDatabases.freshTable();
    tables.add(table);
    return table;
  }

  private JdbcEngine open(String table) {
    JdbcEngine engine = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table)
        .gcInterval(Duration.ofHours(1)).build());
    engines.add(engine);
    return engine;
  }

  private static void commit(JdbcEngine engine, Consumer<EngineTransaction> work) {
    try (EngineTransaction tx = engine.begin(false)) {
      work.accept(tx);
      tx.commit();
    }
  }

  /** The tombstone records, as {@code key@version}, in key order. */
  private static List<String> records(JdbcEngine engine) throws SQLException {
    return strings("SELECT convert_from(k, 'UTF8') || '@' || ver FROM "
        + engine.statements().kvTable.replaceFirst("\"$", "_dead\"") + " ORDER BY k, ver");
  }

  /** The key table's tombstones, as {@code key@version}, in key order. */
  private static List<String> tombstones(JdbcEngine engine) throws SQLException {
    return strings("SELECT convert_from(k, 'UTF8') || '@' || ver FROM " + engine.statements().kvTable
        + " WHERE v IS NULL ORDER BY k");
  }

  private static long count(JdbcEngine engine, String where) throws SQLException {
    return Long.parseLong(strings("SELECT count(*) FROM " + engine.statements().kvTable + where).get(0));
  }

  private static List<String> indexes(String table) throws SQLException {
    return strings("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = '"
        + table + "' ORDER BY indexname");
  }

  private static String fillFactor(String table) throws SQLException {
    return strings("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'public."
        + table + "'::regclass").get(0);
  }

  /** Updates and HOT updates of the key table counted by the server so far. */
  private static long[] updateCounts(String table) throws SQLException {
    String[] counts = strings("SELECT n_tup_upd || ',' || n_tup_hot_upd FROM pg_stat_user_tables"
        + " WHERE schemaname = 'public' AND relname = '" + table + "'").get(0).split(",");
    return new long[] {Long.parseLong(counts[0]), Long.parseLong(counts[1])};
  }

  private static List<String> strings(String query) throws SQLException {
    try (Connection c = TestDatabases.connect(SqlDialect.POSTGRESQL); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
