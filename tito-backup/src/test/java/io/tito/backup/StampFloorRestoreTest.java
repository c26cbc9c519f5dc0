package io.tito.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Stamp;
import io.tito.Tito;
import io.tito.events.AllSlice;
import io.tito.events.EventData;
import io.tito.events.EventFilter;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.events.RecordedEvent;
import io.tito.jdbc.JdbcEngine;
import io.tito.memory.MemoryEngine;
import io.tito.rocksdb.RocksDbEngine;
import io.tito.spi.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events restored into a fresh store whose engine would stamp lower than the restored $all
 * entries (versions restart, another server's transaction ids, another engine): an event
 * appended after the restore must sort above every restored one, so a reader resuming from the
 * restored head sees it, and $all stays strictly increasing.
 */
class StampFloorRestoreTest {

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<String> pgTables = new ArrayList<>();
  private final List<String> mariaTables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    CrossEngineRestoreTest.dropTables(pgTables);
    MariaDbStores.drop(mariaTables);
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  @Test
  void memoryToMemory() {
    check(track(new MemoryEngine()), track(new MemoryEngine()));
  }

  @Test
  void rocksDbToRocksDb() {
    check(track(RocksDbEngine.open(dir.resolve("source"))), track(RocksDbEngine.open(dir.resolve("target"))));
  }

  @Test
  void postgresToPostgres() throws Exception {
    // A source whose stamps are above this server's transaction ids (a store from a busier
    // server, or migrated from the sequence-stamped protocol with a large base).
    JdbcEngine source = track(CrossEngineRestoreTest.postgres(pgTables));
    setStampBase(pgTables.get(0), 1L << 40);
    check(source, track(CrossEngineRestoreTest.postgres(pgTables)));
  }

  @Test
  void postgresToRocksDb() {
    check(track(CrossEngineRestoreTest.postgres(pgTables)), track(RocksDbEngine.open(dir.resolve("target"))));
  }

  @Test
  void postgresToMariaDb() {
    check(track(CrossEngineRestoreTest.postgres(pgTables)), track(MariaDbStores.open(mariaTables)));
  }

  @Test
  void reopeningKeepsTheFloor() {
    RocksDbEngine source = track(RocksDbEngine.open(dir.resolve("source")));
    RocksDbEngine target = RocksDbEngine.open(dir.resolve("target"));
    Stamp head = check(source, target);
    target.close();
    // Reopened without an event store first: the raised floor itself must have been kept.
    try (RocksDbEngine reopened = RocksDbEngine.open(dir.resolve("target"));
        Tito tito = Tito.builder().engine(reopened).build()) {
      tito.transaction(tx -> tx.setStamped(new byte[] {1}, new byte[0]));
      long[] version = new long[1];
      tito.transaction(tx -> {
        tx.setStamped(new byte[] {2}, new byte[0]);
        tx.afterCommit(() -> version[0] = tx.commitVersion());
        return null;
      });
      assertThat(version[0]).isGreaterThan(head.commitVersion());
    }
  }

  /** Appends, backs up, restores, appends again; returns the restored head. */
  private Stamp check(Engine source, Engine target) {
    Tito from = track(Tito.builder().engine(source).with(EventStore.builder()).build());
    EventStore events = from.module(EventStore.class);
    for (int i = 0; i < 30; i++) {
      events.append("order-" + (i % 3), ExpectedVersion.ANY, EventData.of("Placed", Map.of("n", i)));
    }
    Stamp head = events.headPosition();
    Backups backups = Backups.of(LocalDirectoryStorage.in(dir.resolve("backups")));
    backups.full(source);
    backups.restore(RestorePoint.latest(), target);

    Tito to = track(Tito.builder().engine(target).with(EventStore.builder()).build());
    EventStore restored = to.module(EventStore.class);
    assertThat(restored.headPosition()).as("restored head").isEqualTo(head);
    Stamp appended = restored.append("order-0", ExpectedVersion.ANY, EventData.of("Placed", Map.of("n", 30)))
        .firstPosition();
    assertThat(appended).as("stamp of the first append after the restore").isGreaterThan(head);

    List<RecordedEvent> resumed = readAfter(restored, head, appended);
    assertThat(resumed).as("a reader resuming from the restored head")
        .extracting(RecordedEvent::position).containsExactly(appended);
    List<RecordedEvent> all = readAfter(restored, Stamp.ZERO, appended);
    assertThat(all).hasSize(31);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).position()).as("$all order").isGreaterThan(all.get(i - 1).position());
    }
    return head;
  }

  /** $all after {@code from}, read until {@code last} is read or the end is reached. */
  private static List<RecordedEvent> readAfter(EventStore events, Stamp from, Stamp last) {
    List<RecordedEvent> out = new ArrayList<>();
    Stamp position = from;
    while (true) {
      AllSlice slice = events.readAll(position, 100, EventFilter.ALL);
      out.addAll(slice.events());
      position = slice.lastPosition();
      boolean readLast = !out.isEmpty() && out.get(out.size() - 1).position().compareTo(last) >= 0;
      if (readLast || slice.isEnd() && slice.events().isEmpty()) {
        return out;
      }
    }
  }

  private static void setStampBase(String table, long base) throws Exception {
    try (Connection c = DriverManager.getConnection(CrossEngineRestoreTest.PG_URL, CrossEngineRestoreTest.PG_USER, null);
        Statement st = c.createStatement()) {
      st.execute("UPDATE \"" + table + "_meta\" SET stamp_base = " + base + " WHERE id = 1");
    }
  }
}
