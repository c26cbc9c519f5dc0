package io.tito.bench.events;

import io.tito.Stamp;
import io.tito.Tito;
import io.tito.bench.BenchServers;
import io.tito.events.Aggregate;
import io.tito.events.AggregateRepository;
import io.tito.events.AllSlice;
import io.tito.events.EventData;
import io.tito.events.EventFilter;
import io.tito.events.EventStore;
import io.tito.events.ExpectedVersion;
import io.tito.events.RecordedEvent;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Tito's event store (tito-events) on RocksDB or PostgreSQL, through its public API only. */
public final class TitoEvents implements EventSystem {

  /** The benchmark aggregate: a sum of {@link Deposited} amounts. */
  public static final Aggregate<Account> ACCOUNT = new Aggregate<>() {
    @Override
    public String name() {
      return "account";
    }

    @Override
    public Account initialState() {
      return new Account(0);
    }

    @Override
    public Account apply(Account state, RecordedEvent e) {
      return new Account(state.balance() + e.payloadAs(Deposited.class).amount());
    }

    @Override
    public Class<Account> stateType() {
      return Account.class;
    }

    @Override
    public int schemaVersion() {
      return 1;
    }
  };

  private final String label;
  private final Tito tito;
  private final EventStore store;
  private final AggregateRepository<Account> accounts;

  /** MariaDB's tables to drop at close, or null. */
  private String mariaTable;

  private TitoEvents(String label, Tito tito) {
    this.label = label;
    this.tito = tito;
    this.store = tito.module(EventStore.class);
    this.accounts = AggregateRepository.builder(store, ACCOUNT).build();
  }

  @Override
  public void settle() {
    io.tito.bench.SteadyStore.settle(tito.engine());
  }

  /** On RocksDB in {@code dir} with the given durability ({@code group}, {@code none}, ...). */
  static TitoEvents rocksdb(Path dir, String durability) {
    return new TitoEvents("Tito on RocksDB (" + durability + ")", Tito.builder()
        .engine("rocksdb", Map.of("path", dir.toString(), "durability", durability))
        .with(EventStore.builder())
        .build());
  }

  /** On PostgreSQL, its tables in {@code schema} (which must exist). */
  static TitoEvents postgresql(String serverUrl, String user, String schema, int pool) {
    return postgresql(serverUrl, user, schema, pool, EventStore.DEFAULT_WAKE_UP_INTERVAL);
  }

  /**
   * On PostgreSQL with the given wake-up interval ({@link java.time.Duration#ZERO}: every append
   * commit sends a {@code NOTIFY}, as before issue 12's coalescing).
   */
  static TitoEvents postgresql(String serverUrl, String user, String schema, int pool,
      java.time.Duration wakeUpInterval) {
    JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder()
        .jdbcUrl(serverUrl).user(user).schema(schema).poolSize(pool).build());
    String label = wakeUpInterval.isZero() ? "Tito on PostgreSQL (NOTIFY every append)" : "Tito on PostgreSQL";
    return new TitoEvents(label, Tito.builder().engine(engine)
        .with(EventStore.builder().wakeUpInterval(wakeUpInterval)).build());
  }

  /**
   * On MariaDB (127.0.0.1:3306, database {@code test}) in fresh tables, dropped at close;
   * {@code rememberHeads}: the event store's default there (stream headers expected, not read),
   * else none remembered, so every append reads its stream's header first.
   */
  static TitoEvents mariadb(int pool, boolean rememberHeads) {
    String table = BenchServers.freshTable("bench_ev_");
    JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder()
        .jdbcUrl(BenchServers.url("mariadb")).user(BenchServers.user("mariadb"))
        .table(table).poolSize(pool).build());
    EventStore.Builder events = EventStore.builder();
    if (!rememberHeads) {
      events.knownStreamHeads(0);
    }
    TitoEvents t = new TitoEvents(rememberHeads ? "Tito on MariaDB" : "Tito on MariaDB (headers read)",
        Tito.builder().engine(engine).with(events).build());
    t.mariaTable = table;
    return t;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public void append(String stream, long expectedVersion, int count, long firstAmount) {
    List<EventData> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(EventData.ofJson("Deposited", "{\"amount\":" + (firstAmount + i) + "}"));
    }
    store.append(stream, expectedVersion == 0 ? ExpectedVersion.NO_STREAM
        : ExpectedVersion.exact(expectedVersion), events.toArray(EventData[]::new));
  }

  @Override
  public void snapshot(String stream, long version, long sum) {
    tito.inTransaction(tx -> accounts.writeSnapshot(tx, stream, new Account(sum), version));
  }

  @Override
  public long loadFromEvents(String stream) {
    return accounts.loadFromEvents(stream).state().balance();
  }

  @Override
  public long loadWithSnapshot(String stream) {
    return accounts.load(stream).state().balance();
  }

  @Override
  public long readAll(int page, long[] sums) {
    long n = 0;
    long sum = 0;
    Stamp after = Stamp.ZERO;
    while (true) {
      AllSlice slice = store.readAll(after, page, EventFilter.ALL);
      for (RecordedEvent e : slice.events()) {
        sum += e.payloadAs(Deposited.class).amount();
        n++;
      }
      if (slice.isEnd()) {
        sums[0] = sum;
        return n;
      }
      after = slice.lastPosition();
    }
  }

  @Override
  public void close() {
    tito.close();
    if (mariaTable != null) {
      try {
        BenchServers.dropTables("mariadb", mariaTable);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("could not drop " + mariaTable, e);
      }
    }
  }
}
