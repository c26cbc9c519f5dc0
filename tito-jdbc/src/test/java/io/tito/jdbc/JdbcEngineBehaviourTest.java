package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.ConflictException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.StorageException;
import io.tito.spi.Capability;
import io.tito.spi.EngineTransaction;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the conformance kit does not cover: byte order as the server sorts it, keyset paging at
 * page boundaries, two engine instances on one store, migration, tombstone collection and the
 * transaction age limit. Runs once per dialect through a subclass.
 */
abstract class JdbcEngineBehaviourTest {

  private final List<String> tables = new ArrayList<>();
  private final List<JdbcEngine> engines = new ArrayList<>();

  abstract SqlDialect dialect();

  JdbcEngine open(String table, java.util.function.UnaryOperator<JdbcEngineOptions.Builder> tweak) {
    if (!tables.contains(table)) {
      tables.add(table);
    }
    JdbcEngine e = JdbcEngine.open(tweak.apply(TestDatabases.options(dialect()).table(table)).build());
    engines.add(e);
    return e;
  }

  JdbcEngine open(String table) {
    return open(table, b -> b);
  }

  @AfterEach
  void dropTables() {
    engines.forEach(JdbcEngine::close);
    tables.forEach(t -> TestDatabases.dropStore(dialect(), t));
  }

  static byte[] b(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  static byte[] key(int i) {
    return ByteBuffer.allocate(5).put((byte) 'p').putInt(i).array();
  }

  static List<KeyValue> scan(EngineTransaction tx, byte[] begin, byte[] end, ScanOptions o) {
    try (KeyValueCursor c = tx.scan(begin, end, o)) {
      return c.toList();
    }
  }

  @Test
  void serverSortsKeysAsUnsignedBytesWithPrefixesFirst() throws Exception {
    String table = TestDatabases.freshTable();
    JdbcEngine engine = open(table);
    List<byte[]> keys = List.of(b(), b(0x00), b(0x00, 0x00), b(0x01), b(0x7F), b(0x80), b(0xFE),
        b(0xFF), b(0xFF, 0x00), b(0xFF, 0xFF), b(0x61, 0x00), b(0x61), b(0x61, 0xFF));
    try (EngineTransaction tx = engine.begin(false)) {
      for (byte[] k : keys) {
        tx.set(k, k);
      }
      tx.commit();
    }
    List<byte[]> expected = new ArrayList<>(keys);
    expected.sort(io.tito.ByteArrays.COMPARATOR);
    // The server's own ORDER BY, bypassing the engine.
    try (Connection c = TestDatabases.connect(dialect()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT k FROM " + dialect().dialect().quote(table) + " ORDER BY k")) {
      List<byte[]> got = new ArrayList<>();
      while (rs.next()) {
        got.add(rs.getBytes(1));
      }
      assertThat(got).containsExactlyElementsOf(expected);
    }
    try (EngineTransaction tx = engine.begin(true)) {
      List<byte[]> fwd = scan(tx, b(), b(0xFF, 0xFF, 0xFF), ScanOptions.FORWARD).stream().map(KeyValue::key).toList();
      assertThat(fwd).containsExactlyElementsOf(expected);
      List<byte[]> rev = scan(tx, b(), b(0xFF, 0xFF, 0xFF), ScanOptions.REVERSE).stream().map(KeyValue::key).toList();
      List<byte[]> reversed = new ArrayList<>(expected);
      Collections.reverse(reversed);
      assertThat(rev).containsExactlyElementsOf(reversed);
    }
  }

  @Test
  void pagingNeverSkipsOrRepeatsRowsInEitherDirection() {
    JdbcEngine engine = open(TestDatabases.freshTable(), o -> o.pageSize(3));
    int n = 20;
    try (EngineTransaction tx = engine.begin(false)) {
      for (int i = 0; i < n; i++) {
        tx.set(key(i), key(i));
        tx.set(io.tito.ByteArrays.concat(key(i), b(0x00)), b(i)); // a key right after each key
      }
      tx.clear(io.tito.ByteArrays.concat(key(7), b(0x00))); // a tombstone inside a page
      tx.commit();
    }
    try (EngineTransaction tx = engine.begin(true)) {
      List<KeyValue> fwd = scan(tx, key(0), key(n), ScanOptions.FORWARD);
      assertThat(fwd).hasSize(2 * n - 1);
      for (int i = 1; i < fwd.size(); i++) {
        assertThat(io.tito.ByteArrays.compare(fwd.get(i - 1).key(), fwd.get(i).key())).isNegative();
      }
      List<KeyValue> rev = scan(tx, key(0), key(n), ScanOptions.REVERSE);
      List<KeyValue> expectedRev = new ArrayList<>(fwd);
      Collections.reverse(expectedRev);
      assertThat(rev).containsExactlyElementsOf(expectedRev);
      for (int limit : new int[] {1, 2, 3, 4, 6, 7, 39, 40}) {
        assertThat(scan(tx, key(0), key(n), new ScanOptions(false, limit)))
            .containsExactlyElementsOf(fwd.subList(0, Math.min(limit, fwd.size())));
        assertThat(scan(tx, key(0), key(n), new ScanOptions(true, limit)))
            .containsExactlyElementsOf(expectedRev.subList(0, Math.min(limit, fwd.size())));
      }
    }
  }

  @Test
  void twoEnginesOnOneStoreSeeEachOtherAndConflict() {
    String table = TestDatabases.freshTable();
    JdbcEngine a = open(table);
    JdbcEngine b = open(table);
    assertThat(a.capabilities()).contains(Capability.DURABLE, Capability.MULTI_PROCESS);
    try (EngineTransaction ta = a.begin(false); EngineTransaction tb = b.begin(false)) {
      ta.get(b(1));
      tb.get(b(1));
      ta.set(b(1), b(1));
      tb.set(b(1), b(2));
      ta.commit();
      assertThatThrownBy(tb::commit).isInstanceOf(ConflictException.class);
    }
    try (EngineTransaction tb = b.begin(true)) {
      assertThat(tb.get(b(1))).containsExactly(1);
    }
  }

  @Test
  void openingIsIdempotentAndSafeFromManyThreads() throws Exception {
    String table = TestDatabases.freshTable();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<JdbcEngine>> opened = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        opened.add(pool.submit(() -> open(table, o -> o.poolSize(2))));
      }
      for (Future<JdbcEngine> f : opened) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    open(table).close();
    try (Connection c = TestDatabases.connect(dialect()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM " + dialect().dialect().quote(table + "_schema"))) {
      List<Integer> versions = new ArrayList<>();
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
      // Every migration step of the dialect, each applied once (PostgreSQL has 4, MariaDB 3).
      Integer[] steps = java.util.stream.IntStream.rangeClosed(1, dialect().dialect().migrations().size())
          .boxed().toArray(Integer[]::new);
      assertThat(versions).containsExactlyInAnyOrder(steps);
    }
  }

  @Test
  void aStoreOfANewerSchemaOrAMissingStoreIsRefused() throws Exception {
    String table = TestDatabases.freshTable();
    open(table).close();
    try (Connection c = TestDatabases.connect(dialect()); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO " + dialect().dialect().quote(table + "_schema") + " (version) VALUES (99)");
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
    assertThatThrownBy(() -> open(table)).isInstanceOf(StorageException.class)
        .hasMessageContaining("newer version");
    String missing = TestDatabases.freshTable();
    assertThatThrownBy(() -> open(missing, o -> o.migrate(false))).isInstanceOf(StorageException.class);
  }

  @Test
  void tombstonesAreCollectedAfterTheMaximumTransactionAge() throws Exception {
    String table = TestDatabases.freshTable();
    JdbcEngine engine = open(table, o -> o.maxTransactionAge(Duration.ofMillis(200)).gcInterval(Duration.ofHours(1)));
    try (EngineTransaction tx = engine.begin(false)) {
      for (int i = 0; i < 10; i++) {
        tx.set(key(i), b(i));
      }
      tx.commit();
    }
    try (EngineTransaction tx = engine.begin(false)) {
      for (int i = 0; i < 10; i++) {
        tx.clear(key(i));
      }
      tx.clearRange(key(100), key(200));
      tx.commit();
    }
    assertThat(count(table, "v IS NULL")).isEqualTo(10);
    assertThat(engine.collectTombstones()).isZero(); // first sample only
    // Collection waits for that sample to be older than maxTransactionAge + 10 % + 1 s: poll.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    int collected;
    while ((collected = engine.collectTombstones()) == 0) {
      assertThat(System.nanoTime()).as("tombstones collected").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(collected).isEqualTo(10);
    assertThat(count(table, "1 = 1")).isZero();
    assertThat(countTable(table + "_clears")).isZero();
    // A write transaction older than maxTransactionAge cannot commit: it could miss a collected tombstone.
    try (EngineTransaction old = engine.begin(false)) {
      old.set(key(1), b(1));
      awaitOlderThan(old, Duration.ofMillis(200));
      assertThatThrownBy(old::commit).isInstanceOf(ConflictException.class).hasMessageContaining("older");
    }
  }

  /** Waits, by polling the clock, until {@code tx} has been open for longer than {@code age}. */
  private static void awaitOlderThan(EngineTransaction tx, Duration age) throws InterruptedException {
    long until = System.nanoTime() + age.toNanos() + 1_000_000;
    while (System.nanoTime() < until) {
      Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000));
    }
  }

  @Test
  void readsOfASnapshotOlderThanTheMaximumTransactionAgeFailClearly() throws Exception {
    String table = TestDatabases.freshTable();
    JdbcEngine engine = open(table, o -> o.maxTransactionAge(Duration.ofMillis(300)));
    try (EngineTransaction tx = engine.begin(false)) {
      tx.set(key(1), b(1));
      tx.commit();
    }
    for (boolean readOnly : new boolean[] {true, false}) {
      try (EngineTransaction tx = engine.begin(readOnly)) {
        assertThat(tx.get(key(1))).isEqualTo(b(1));
        KeyValueCursor open = tx.scan(key(0), key(9), ScanOptions.FORWARD);
        awaitOlderThan(tx, Duration.ofMillis(300));
        assertThatThrownBy(() -> tx.get(key(1))).as("get, readOnly=%s", readOnly)
            .isInstanceOf(ConflictException.class).hasMessageContaining("maxTransactionAge")
            .matches(e -> ((ConflictException) e).isRetriable());
        assertThatThrownBy(() -> tx.getAll(List.of(key(1)))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> scan(tx, key(0), key(9), ScanOptions.FORWARD))
            .isInstanceOf(ConflictException.class);
        assertThatThrownBy(open::hasNext).as("a cursor opened while young").isInstanceOf(ConflictException.class);
      }
    }
  }

  @Test
  void aCallerOwnedDataSourceIsUsedWithDetectedDialectAndLeftOpen() throws Exception {
    String table = TestDatabases.freshTable();
    tables.add(table);
    JdbcEngineOptions url = TestDatabases.options(dialect()).build();
    try (com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource()) {
      ds.setJdbcUrl(url.jdbcUrl());
      ds.setUsername(url.user());
      ds.setPassword(url.password());
      ds.setMaximumPoolSize(3);
      try (JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder().dataSource(ds).table(table).build())) {
        assertThat(engine.dialect()).isEqualTo(dialect());
        assertThat(engine.name()).isEqualTo(dialect().engineName());
        try (EngineTransaction tx = engine.begin(false)) {
          tx.set(b(1), b(2));
          tx.commit();
        }
        try (EngineTransaction tx = engine.begin(true)) {
          assertThat(tx.get(b(1))).containsExactly(2);
        }
      }
      assertThat(ds.isClosed()).isFalse();
      try (Connection c = ds.getConnection()) {
        assertThat(c.getAutoCommit()).as("connections go back as they came").isTrue();
      }
    }
  }

  private long count(String table, String where) throws Exception {
    try (Connection c = TestDatabases.connect(dialect()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + dialect().dialect().quote(table) + " WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long countTable(String table) throws Exception {
    return count(table, "1 = 1");
  }
}
