package io.tito.backup;

import static io.tito.backup.Stores.dump;
import static org.assertj.core.api.Assertions.assertThat;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.ModelStore;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.pubsub.Message;
import io.tito.pubsub.PartitionLag;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.rocksdb.RocksDbEngine;
import io.tito.spi.Engine;
import io.tito.testkit.data.DataModels;
import io.tito.testkit.data.DataModels.User;
import io.tito.testkit.data.IndexAudit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A RocksDB store with models, indexes, a topic and a consumer group's checkpoints is backed up,
 * restored into PostgreSQL, backed up there and restored into RocksDB again: every key is equal
 * at each step, the index audit passes, and the group's lag (its checkpoints) is restored.
 */
class CrossEngineRestoreTest {

  static final String PG_URL = System.getProperty("TITO_PG_URL",
      System.getenv().getOrDefault("TITO_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
  static final String PG_USER = System.getProperty("TITO_PG_USER",
      System.getenv().getOrDefault("TITO_PG_USER", "postgres"));

  private static final io.tito.data.Model<User> USERS = DataModels.users();

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<String> tables = new ArrayList<>();
  private final List<String> mariaTables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    dropTables(tables);
    MariaDbStores.drop(mariaTables);
  }

  static void dropTables(List<String> tables) throws java.sql.SQLException {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null); Statement st = c.createStatement()) {
      for (String t : tables) {
        for (String suffix : new String[] {"", "_meta", "_clears", "_schema", "_holds", "_changes", "_dead", "_listeners"}) {
          st.execute("DROP TABLE IF EXISTS \"" + t + suffix + "\"");
        }
      }
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  static JdbcEngine postgres(List<String> tables) {
    String table = "tito_bk_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
        .toLowerCase(Locale.ROOT);
    tables.add(table);
    return JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(PG_URL).user(PG_USER).table(table).build());
  }

  private Tito tito(Engine engine) {
    return track(Tito.builder().engine(engine).with(DataStore.models(USERS)).build());
  }

  @Test
  void rocksDbToPostgresAndBack() throws Exception {
    RocksDbEngine rocks = track(RocksDbEngine.open(dir.resolve("source")));
    Tito source = tito(rocks);
    ModelStore<User> users = source.module(DataStore.class).store(USERS);
    for (int i = 0; i < 300; i++) {
      users.insert(User.of("u" + i, "u" + i + "@example.com", "name " + (i % 17), i % 2 == 0 ? "FR" : "DE", 20 + i % 50)
          .withTags(List.of("t" + i % 3, "t" + i % 5)).withScore((long) -i * 1_000_000_007L).withRating(i / 7.0));
    }
    for (int i = 0; i < 300; i += 3) {
      users.update(users.findById("u" + i).orElseThrow().value().withEmail("changed" + i + "@example.com"));
    }
    for (int i = 1; i < 300; i += 10) {
      users.delete("u" + i);
    }
    source.topics().createTopic("orders");
    for (int i = 0; i < 40; i++) {
      source.topics().publish("orders", Message.of("k" + i, ("order " + i).getBytes(StandardCharsets.UTF_8)));
    }
    AtomicInteger seen = new AtomicInteger();
    try (Subscription s = source.topics().subscribe("orders", "billing", e -> seen.incrementAndGet(),
        SubscribeOptions.DEFAULTS)) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (lagSum(source) > 0 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // poll interval
      }
    }
    for (int i = 40; i < 55; i++) {
      source.topics().publish("orders", Message.of("k" + i, ("order " + i).getBytes(StandardCharsets.UTF_8)));
    }
    List<PartitionLag> sourceLag = source.topics().lag("orders", "billing");
    assertThat(lagSum(source)).as("events published after the group caught up").isEqualTo(15);
    List<String> expected = dump(rocks);

    Backups first = Backups.of(LocalDirectoryStorage.in(dir.resolve("backups-rocks")));
    BackupManifest fromRocks = first.full(rocks);
    assertThat(fromRocks.versioned()).as("RocksDB has a change feed").isTrue();
    JdbcEngine pg = track(postgres(tables));
    first.restore(RestorePoint.latest(), pg);
    assertThat(dump(pg)).as("PostgreSQL after restore").isEqualTo(expected);
    Tito onPg = tito(pg);
    ModelStore<User> pgUsers = onPg.module(DataStore.class).store(USERS);
    assertThat(IndexAudit.actual(onPg, pgUsers)).isEqualTo(IndexAudit.expected(onPg, pgUsers)).isNotEmpty();
    assertThat(onPg.topics().lag("orders", "billing")).isEqualTo(sourceLag);

    Backups second = Backups.of(LocalDirectoryStorage.in(dir.resolve("backups-pg")));
    second.full(pg);
    RocksDbEngine back = track(RocksDbEngine.open(dir.resolve("back")));
    second.restore(RestorePoint.latest(), back);
    assertThat(dump(back)).as("RocksDB after the round trip").isEqualTo(expected);
    Tito onBack = tito(back);
    ModelStore<User> backUsers = onBack.module(DataStore.class).store(USERS);
    assertThat(IndexAudit.actual(onBack, backUsers)).isEqualTo(IndexAudit.expected(onBack, backUsers));
    assertThat(onBack.topics().lag("orders", "billing")).isEqualTo(sourceLag);
  }

  /**
   * A PostgreSQL store restored into MariaDB (and that store backed up and restored into
   * PostgreSQL again), with an incremental backup taken on MariaDB: every key equal at each step,
   * and the index audit passes.
   */
  @Test
  void postgresToMariaDbAndBack() throws Exception {
    JdbcEngine pg = track(postgres(tables));
    Tito source = tito(pg);
    ModelStore<User> users = source.module(DataStore.class).store(USERS);
    for (int i = 0; i < 120; i++) {
      users.insert(User.of("u" + i, "u" + i + "@example.com", "name " + (i % 7), i % 2 == 0 ? "FR" : "DE", 20 + i % 50)
          .withTags(List.of("t" + i % 3)).withScore((long) -i * 1_000_000_007L).withRating(i / 7.0));
    }
    source.topics().createTopic("orders");
    for (int i = 0; i < 10; i++) {
      source.topics().publish("orders", Message.of("k" + i, ("order " + i).getBytes(StandardCharsets.UTF_8)));
    }
    List<String> expected = dump(pg);

    Backups fromPg = Backups.of(LocalDirectoryStorage.in(dir.resolve("backups-pg")));
    fromPg.full(pg);
    JdbcEngine maria = track(MariaDbStores.open(mariaTables));
    fromPg.restore(RestorePoint.latest(), maria);
    assertThat(dump(maria)).as("MariaDB after restore").isEqualTo(expected);
    Tito onMaria = tito(maria);
    ModelStore<User> mariaUsers = onMaria.module(DataStore.class).store(USERS);
    assertThat(IndexAudit.actual(onMaria, mariaUsers)).isEqualTo(IndexAudit.expected(onMaria, mariaUsers)).isNotEmpty();

    Backups fromMaria = Backups.of(LocalDirectoryStorage.in(dir.resolve("backups-maria")));
    BackupManifest full = fromMaria.full(maria);
    for (int i = 0; i < 120; i += 5) {
      mariaUsers.delete("u" + i);
    }
    mariaUsers.insert(User.of("new", "new@example.com", "n", "FR", 30));
    BackupManifest incr = fromMaria.incremental(maria);
    List<String> afterIncr = dump(maria);
    JdbcEngine pgAgain = track(postgres(tables));
    fromMaria.restore(RestorePoint.atVersion(incr.toVersion()), pgAgain);
    assertThat(dump(pgAgain)).as("PostgreSQL from MariaDB's full + incremental").isEqualTo(afterIncr);
    Tito onPgAgain = tito(pgAgain);
    ModelStore<User> againUsers = onPgAgain.module(DataStore.class).store(USERS);
    assertThat(IndexAudit.actual(onPgAgain, againUsers)).isEqualTo(IndexAudit.expected(onPgAgain, againUsers));
    JdbcEngine pgAtFull = track(postgres(tables));
    fromMaria.restore(RestorePoint.atVersion(full.toVersion()), pgAtFull);
    assertThat(dump(pgAtFull)).as("PostgreSQL at MariaDB's full backup").isEqualTo(expected);
    fromMaria.releaseHold(maria);
  }

  private static long lagSum(Tito tito) {
    return tito.topics().lag("orders", "billing").stream().mapToLong(PartitionLag::lag).sum();
  }
}
