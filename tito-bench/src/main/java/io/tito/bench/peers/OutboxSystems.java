package io.tito.bench.peers;

import com.gruelbox.transactionoutbox.Dialect;
import com.gruelbox.transactionoutbox.Instantiator;
import com.gruelbox.transactionoutbox.Persistor;
import com.gruelbox.transactionoutbox.Submitter;
import com.gruelbox.transactionoutbox.ThreadLocalContextTransactionManager;
import com.gruelbox.transactionoutbox.TransactionManager;
import com.gruelbox.transactionoutbox.TransactionOutbox;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tito.Tito;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The systems compared in the outbox end-to-end scenario ({@link OutboxEndToEnd}). Each publishes
 * one ~100-byte event per committed transaction and consumes it with one consumer group, telling
 * a {@link Sink} the index of every event its handler sees (as often as it sees it).
 *
 * <p>Settings that are not the library's defaults, and why:
 *
 * <ul>
 *   <li>Tito (both engines): a topic of 8 partitions (the default), a distinct key per event;
 *       one {@link Subscription} of one group with default {@link SubscribeOptions} (16 handlers
 *       at once, 64 events per fetch). The batch rows use {@link Topics#subscribeBatches} with the
 *       same options. RocksDB runs with its default durability {@code group}; PostgreSQL through
 *       {@link JdbcEngine} with a pool of {@value #PG_POOL} connections (default 10) so the four
 *       producers and the eight partition runners do not queue for connections.
 *   <li>gruelbox transaction-outbox 4.2: plain JDBC ({@link TransactionManager#fromDataSource} on
 *       a HikariCP pool of {@value #PG_POOL} connections), {@link Dialect#POSTGRESQL_9}, the
 *       handler returned by an {@link Instantiator#using} function, a {@link Submitter} on a fixed
 *       pool of {@value #GRUELBOX_THREADS} threads owned here, and the documented background
 *       {@code flush()} loop every {@value #GRUELBOX_FLUSH_MS} ms. Each scheduled call is
 *       submitted right after its transaction commits (the library's post-commit hook), so the
 *       flush only picks up calls that were missed; {@code attemptFrequency} is 10 s (default
 *       2 min) so that a missed call would not stall the run for minutes. The payload is a
 *       100-character string argument, which gruelbox stores JSON-serialised with the call.
 *       {@link PeerBench} logs at WARN, so gruelbox's two INFO lines per call are not written.
 *   <li>plain JDBC outbox: producers {@code INSERT INTO outbox(payload)} (bigserial id) through a
 *       HikariCP pool; {@value #SKIP_LOCKED_CONSUMERS} consumer threads, each with its own
 *       connection, loop {@code SELECT id, payload FROM outbox ORDER BY id LIMIT 100 FOR UPDATE
 *       SKIP LOCKED}, handle the rows, {@code DELETE} them by id and commit, sleeping {@value
 *       #SKIP_LOCKED_POLL_MS} ms only when the select found nothing.
 * </ul>
 */
public final class OutboxSystems {

  private OutboxSystems() {}

  static final int PAYLOAD_BYTES = 100;
  static final String TOPIC = "outbox-e2e";
  static final String GROUP = "e2e";
  static final int PG_POOL = 16;
  static final int GRUELBOX_THREADS = 4;
  static final long GRUELBOX_FLUSH_MS = 500;
  static final int SKIP_LOCKED_CONSUMERS = 2;
  static final long SKIP_LOCKED_POLL_MS = 10;
  static final int SKIP_LOCKED_BATCH = 100;

  /** Receives the index of every event a handler sees. Thread-safe. */
  interface Sink {
    void handled(int index);
  }

  /** One system under test, in its own fresh store or schema. */
  interface OutboxSystem extends AutoCloseable {
    /** Starts the consumer group; returns once it is ready to consume. */
    void start(Sink sink) throws Exception;

    /** Publishes event {@code index} in its own transaction; returns once it committed. */
    void publish(int index) throws Exception;
  }

  /** A ~100-byte payload whose first 8 bytes are the event's index. */
  static byte[] payload(int index) {
    byte[] b = new byte[PAYLOAD_BYTES];
    ByteBuffer.wrap(b).putLong(index);
    return b;
  }

  static int index(byte[] payload) {
    return (int) ByteBuffer.wrap(payload).getLong();
  }

  /** Tito on any engine: one topic, one group, a per-event or a batch handler. */
  static final class TitoOutbox implements OutboxSystem {
    private final Tito tito;
    private final Topics topics;
    private final boolean batch;
    private Subscription subscription;
    /** Drops the store's tables after close (MariaDB), or nothing. */
    private Runnable afterClose = () -> { };

    TitoOutbox(Tito tito, boolean batch) {
      this.tito = tito;
      this.batch = batch;
      this.topics = tito.topics();
      topics.createTopic(TOPIC, TopicConfig.DEFAULTS);
    }

    /** Tito on RocksDB in {@code dir} with durability {@code group} (the default). */
    static TitoOutbox rocksdb(Path dir, boolean batch) {
      return rocksdb(dir, batch, "group");
    }

    /** As above at another RocksDB durability ({@code none}: the outbox's work without syncs). */
    static TitoOutbox rocksdb(Path dir, boolean batch, String durability) {
      Tito tito = Tito.builder()
          .engine("rocksdb", Map.of("path", dir.toString(), "durability", durability))
          .build();
      return open(tito, batch);
    }

    /** Tito on PostgreSQL, its tables in {@code schema}. */
    static TitoOutbox postgresql(PgSchema schema, boolean batch) {
      JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder()
          .jdbcUrl(PgSchema.SERVER_URL)
          .user(PgSchema.USER)
          .schema(schema.name())
          .poolSize(PG_POOL)
          .build());
      return open(Tito.open(engine), batch);
    }

    /**
     * Tito on the local MariaDB server (no cross-process notifications there: this process's
     * workers are woken by its own commits), in fresh tables dropped at close.
     */
    static TitoOutbox mariadb(boolean batch) {
      String table = io.tito.bench.BenchServers.freshTable("bench_s2_");
      JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder()
          .jdbcUrl(io.tito.bench.BenchServers.url("mariadb"))
          .user(io.tito.bench.BenchServers.user("mariadb"))
          .table(table)
          .poolSize(PG_POOL)
          .build());
      TitoOutbox out = open(Tito.open(engine), batch);
      out.afterClose = () -> {
        try {
          io.tito.bench.BenchServers.dropTables("mariadb", table);
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException("could not drop " + table, e);
        }
      };
      return out;
    }

    private static TitoOutbox open(Tito tito, boolean batch) {
      try {
        return new TitoOutbox(tito, batch);
      } catch (RuntimeException e) {
        tito.close();
        throw e;
      }
    }

    @Override
    public void start(Sink sink) throws InterruptedException {
      SubscribeOptions options = SubscribeOptions.DEFAULTS;
      subscription = batch
          ? topics.subscribeBatches(TOPIC, GROUP, (List<Event> es) -> {
            for (Event e : es) {
              sink.handled(index(e.payload()));
            }
          }, options)
          : topics.subscribe(TOPIC, GROUP, (Event e) -> sink.handled(index(e.payload())), options);
      // Wait until the worker holds every partition's lease, so the run measures consumption.
      int partitions = topics.topic(TOPIC).partitions();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (subscription.ownedPartitions().size() < partitions) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("subscription took no leases in 30 s: "
              + subscription.ownedPartitions());
        }
        Thread.sleep(5);
      }
    }

    @Override
    public void publish(int index) {
      Message m = Message.of("k" + index, payload(index));
      tito.inTransaction(tx -> topics.publish(tx, TOPIC, m));
    }

    @Override
    public void close() {
      try {
        if (subscription != null) {
          subscription.close(Duration.ofSeconds(30));
        }
      } finally {
        tito.close();
        afterClose.run();
      }
    }
  }

  /** What gruelbox transaction-outbox calls; its argument is a ~100-character payload. */
  public interface GruelboxHandler {
    void handle(String payload);
  }

  static String textPayload(int index) {
    StringBuilder b = new StringBuilder(PAYLOAD_BYTES).append(index).append(':');
    while (b.length() < PAYLOAD_BYTES) {
      b.append('x');
    }
    return b.toString();
  }

  /** gruelbox transaction-outbox on PostgreSQL, plain JDBC; see the class comment. */
  static final class GruelboxOutbox implements OutboxSystem {
    private final HikariDataSource pool;
    private final ThreadLocalContextTransactionManager transactions;
    private final AtomicReference<Sink> sink = new AtomicReference<>();
    private final ExecutorService workers;
    private final ScheduledExecutorService flusher;
    private final TransactionOutbox outbox;

    GruelboxOutbox(PgSchema schema) {
      pool = PgPool.open(schema, PG_POOL, "gruelbox");
      ExecutorService w = null;
      ScheduledExecutorService f = null;
      try {
        transactions = TransactionManager.fromDataSource(pool);
        GruelboxHandler handler = payload -> {
          int colon = payload.indexOf(':');
          sink.get().handled(Integer.parseInt(payload.substring(0, colon)));
        };
        w = Executors.newFixedThreadPool(GRUELBOX_THREADS);
        f = Executors.newSingleThreadScheduledExecutor();
        outbox = TransactionOutbox.builder()
            .transactionManager(transactions)
            .persistor(Persistor.forDialect(Dialect.POSTGRESQL_9))
            .instantiator(Instantiator.using(c -> handler))
            .submitter(Submitter.withExecutor(w))
            .attemptFrequency(Duration.ofSeconds(10))
            .build();
        workers = w;
        flusher = f;
      } catch (RuntimeException e) {
        if (w != null) {
          w.shutdownNow();
        }
        if (f != null) {
          f.shutdownNow();
        }
        pool.close();
        throw e;
      }
    }

    @Override
    public void start(Sink s) {
      sink.set(s);
      flusher.scheduleWithFixedDelay(() -> {
        try {
          while (outbox.flush()) {
            // flush() returns true while it found work: go on until a pass finds none
          }
        } catch (RuntimeException e) {
          // the next pass retries
        }
      }, GRUELBOX_FLUSH_MS, GRUELBOX_FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void publish(int index) {
      String payload = textPayload(index);
      transactions.inTransaction(() -> outbox.schedule(GruelboxHandler.class).handle(payload));
    }

    @Override
    public void close() throws InterruptedException {
      try {
        flusher.shutdownNow();
        flusher.awaitTermination(30, TimeUnit.SECONDS);
        workers.shutdown();
        if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
          workers.shutdownNow();
        }
      } finally {
        pool.close();
      }
    }
  }

  /** The hand-written outbox table drained with {@code FOR UPDATE SKIP LOCKED}. */
  static final class SkipLockedOutbox implements OutboxSystem {
    private final PgSchema schema;
    private final HikariDataSource pool;
    private final List<Thread> consumers = new ArrayList<>();
    private final List<Connection> consumerConnections = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;

    SkipLockedOutbox(PgSchema schema) throws SQLException {
      this.schema = schema;
      try (Connection c = schema.connect(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE outbox (id BIGSERIAL PRIMARY KEY, payload BYTEA NOT NULL)");
      }
      pool = PgPool.open(schema, PG_POOL, "skip-locked");
    }

    @Override
    public void start(Sink sink) throws SQLException {
      for (int t = 0; t < SKIP_LOCKED_CONSUMERS; t++) {
        Connection c = schema.connect();
        consumerConnections.add(c);
        c.setAutoCommit(false);
        Thread thread = new Thread(() -> drain(c, sink), "skip-locked-consumer-" + t);
        consumers.add(thread);
        thread.start();
      }
    }

    private void drain(Connection c, Sink sink) {
      try (PreparedStatement select = c.prepareStatement("SELECT id, payload FROM outbox"
              + " ORDER BY id LIMIT " + SKIP_LOCKED_BATCH + " FOR UPDATE SKIP LOCKED");
          PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
        while (!stopping) {
          List<Long> ids = new ArrayList<>(SKIP_LOCKED_BATCH);
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getLong(1));
              sink.handled(index(rs.getBytes(2)));
            }
          }
          if (ids.isEmpty()) {
            c.commit();
            Thread.sleep(SKIP_LOCKED_POLL_MS);
            continue;
          }
          Array array = c.createArrayOf("bigint", ids.toArray());
          delete.setArray(1, array);
          delete.executeUpdate();
          c.commit();
          array.free();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable e) {
        if (!stopping) {
          failure.set(e);
        }
      }
    }

    @Override
    public void publish(int index) throws SQLException {
      Throwable f = failure.get();
      if (f != null) {
        throw new IllegalStateException("a consumer failed", f);
      }
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement(
            "INSERT INTO outbox (payload) VALUES (?)")) {
          insert.setBytes(1, payload(index));
          insert.executeUpdate();
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      }
    }

    @Override
    public void close() throws Exception {
      stopping = true;
      try {
        for (Thread t : consumers) {
          t.join(TimeUnit.SECONDS.toMillis(30));
        }
        for (Connection c : consumerConnections) {
          c.close();
        }
      } finally {
        pool.close();
      }
    }
  }

  /** HikariCP pools on a fresh schema. */
  static final class PgPool {
    private PgPool() {}

    static HikariDataSource open(PgSchema schema, int size, String name) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(schema.url());
      config.setUsername(PgSchema.USER);
      config.setMaximumPoolSize(size);
      config.setPoolName(name);
      return new HikariDataSource(config);
    }
  }
}
