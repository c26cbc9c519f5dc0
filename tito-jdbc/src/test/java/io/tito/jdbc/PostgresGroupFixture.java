package io.tito.jdbc;

import io.tito.ByteArrays;
import io.tito.spi.ChangeFeed;
import io.tito.spi.EngineTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the PostgreSQL group tests share: an engine on a fresh store table per test (its tombstone
 * collector held off), and small helpers to commit and read.
 */
abstract class PostgresGroupFixture {

  @RegisterExtension
  static final TestDatabases.FreshStores STORES = new TestDatabases.FreshStores();

  private static final String HOLD = "other-process";

  /** This test's store table. */
  String table;
  /** An engine on {@link #table}. */
  JdbcEngine engine;

  @BeforeEach
  void open() {
    table = STORES.newTable(SqlDialect.POSTGRESQL);
    engine = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table)
        .gcInterval(Duration.ofHours(1)).build());
  }

  @AfterEach
  void close() {
    engine.close();
  }

  /** Runs {@code work} in a transaction of its own and commits it. */
  void commit(Consumer<EngineTransaction> work) {
    try (EngineTransaction tx = engine.begin(false)) {
      work.accept(tx);
      tx.commit();
    }
  }

  /** The committed value of {@code key} as text, or null. */
  String read(byte[] key) {
    return StoreReads.text(engine, key);
  }

  /** Places a retention hold from another engine on the store (another process); returns its start. */
  long holdFromAnotherProcess() {
    try (JdbcEngine other = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL)
        .table(table).gcInterval(Duration.ofHours(1)).build())) {
      return other.changeFeed().placeHold(HOLD);
    }
  }

  /** Releases {@link #holdFromAnotherProcess}'s hold. */
  void releaseHold() {
    engine.changeFeed().releaseHold(HOLD);
  }

  /** The keys the change feed logged after {@code start}, printable, in order. */
  List<String> keysLoggedAfter(long start) {
    List<String> changed = new ArrayList<>();
    ChangeFeed feed = engine.changeFeed();
    try (ChangeFeed.ChangeCursor changes = feed.changesAfter(start, feed.currentVersion())) {
      changes.forEachRemaining(ch -> ch.writes().forEach(w -> changed.add(ByteArrays.printable(w.key()))));
    }
    return changed;
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
