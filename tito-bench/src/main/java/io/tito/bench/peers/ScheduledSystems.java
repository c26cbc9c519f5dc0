package io.tito.bench.peers;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tito.Tito;
import io.tito.bench.CountingSocketFactory;
import io.tito.jdbc.JdbcEngine;
import io.tito.jdbc.JdbcEngineOptions;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The systems compared in the scheduled-delivery scenario. Each schedules events {@code from} to
 * {@code to} (exclusive) with their due times in one call, and calls {@link Recorder#handled} when
 * its handler starts on an event. Consumers run from construction to {@link #close()}.
 */
final class ScheduledSystems {

  private ScheduledSystems() {}

  /**
   * With the system property {@code tito.scheduled.countTrips}, Tito's JDBC connections count
   * their round trips ({@link CountingSocketFactory}); the run prints those after scheduling.
   */
  static final String COUNTING = Boolean.getBoolean("tito.scheduled.countTrips")
      ? "&socketFactory=" + CountingSocketFactory.class.getName() : "";

  static final String TOPIC = "due-events";
  static final String GROUP = "bench";

  /** Microseconds since the epoch by the wall clock (microsecond precision on Linux). */
  static long nowMicros() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  /**
   * Per-event due times and first-handling times (microseconds), and delivery counts. Handlers on
   * any thread call {@link #handled}; the figures are read after every event was handled or the
   * system closed.
   */
  static final class Recorder {
    final long[] due;
    final long[] firstAt;
    final AtomicIntegerArray deliveries;
    final AtomicInteger distinct = new AtomicInteger();

    Recorder(int events) {
      due = new long[events];
      firstAt = new long[events];
      deliveries = new AtomicIntegerArray(events);
    }

    void handled(int i, long atMicros) {
      if (deliveries.getAndIncrement(i) == 0) {
        firstAt[i] = atMicros;
        distinct.incrementAndGet();
      }
    }

    int distinct() {
      return distinct.get();
    }
  }

  /** One system under test, its consumer already running. */
  interface ScheduledSystem extends AutoCloseable {
    /** Schedules events {@code from} until {@code to} at {@code recorder.due}, committed on return. */
    void schedule(int from, int to) throws Exception;
  }

  static byte[] payload(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  /**
   * Tito: {@code to - from} {@link Topics#publish} calls with {@link Message#deliverAt} in one
   * transaction, on a topic of the default 8 partitions; one group consumes with a batch handler
   * ({@link Topics#subscribeBatches}) or a single-event handler ({@link Topics#subscribe}).
   */
  static final class TitoScheduled implements ScheduledSystem {
    private final Tito tito;
    private final AutoCloseable schema;
    private final Recorder recorder;
    private final Topics topics;
    private final Subscription subscription;

    TitoScheduled(Tito tito, AutoCloseable schema, boolean batch, SubscribeOptions options,
        Recorder recorder) {
      this.tito = tito;
      this.schema = schema;
      this.recorder = recorder;
      Subscription s = null;
      try {
        topics = tito.topics();
        topics.createTopic(TOPIC);
        if (batch) {
          s = topics.subscribeBatches(TOPIC, GROUP, events -> {
            long now = nowMicros();
            for (Event e : events) {
              recorder.handled(index(e), now);
            }
          }, options);
        } else {
          s = topics.subscribe(TOPIC, GROUP, e -> recorder.handled(index(e), nowMicros()), options);
        }
      } catch (RuntimeException | Error e) {
        closeQuietly(tito, schema);
        throw e;
      }
      subscription = s;
    }

    /** On PostgreSQL, in a fresh schema. */
    static TitoScheduled postgres(boolean batch, SubscribeOptions options, Recorder recorder)
        throws Exception {
      PgSchema schema = PgSchema.create("bench_tito_");
      Tito tito;
      try {
        tito = Tito.open(JdbcEngine.open(JdbcEngineOptions.builder()
            .jdbcUrl(schema.url() + COUNTING).user(PgSchema.USER).schema(schema.name()).build()));
      } catch (RuntimeException | Error e) {
        schema.close();
        throw e;
      }
      return new TitoScheduled(tito, schema, batch, options, recorder);
    }

    /** On MariaDB, in a fresh database. */
    static TitoScheduled mariadb(boolean batch, SubscribeOptions options, Recorder recorder)
        throws Exception {
      MariaSchema schema = MariaSchema.create("bench_tito_");
      Tito tito;
      try {
        tito = Tito.open(JdbcEngine.open(JdbcEngineOptions.builder()
            .jdbcUrl(schema.url() + (COUNTING.isEmpty() ? "" : "?socketFactory="
                + CountingSocketFactory.class.getName())).user(MariaSchema.USER).build()));
      } catch (RuntimeException | Error e) {
        schema.close();
        throw e;
      }
      return new TitoScheduled(tito, schema, batch, options, recorder);
    }

    /** On RocksDB in {@code dir}, default durability (group). */
    static TitoScheduled rocksdb(Path dir, boolean batch, SubscribeOptions options,
        Recorder recorder) {
      Tito tito = Tito.builder().engine("rocksdb", Map.of("path", dir.toString())).build();
      return new TitoScheduled(tito, null, batch, options, recorder);
    }

    private static int index(Event e) {
      return ByteBuffer.wrap(e.payload()).getInt();
    }

    @Override
    public void schedule(int from, int to) {
      long[] due = recorder.due;
      tito.inTransaction(tx -> {
        for (int i = from; i < to; i++) {
          topics.publish(tx, TOPIC,
              new Message("e" + i, payload(i), Map.of(), instant(due[i])));
        }
      });
    }

    @Override
    public void close() throws Exception {
      try {
        subscription.close(Duration.ofSeconds(10));
      } finally {
        closeQuietly(tito, schema);
      }
    }
  }

  /**
   * db-scheduler 16.12 on PostgreSQL: one one-time task whose instance id is the event index, no
   * task data; scheduled with {@code scheduleBatch} of {@link SchedulableInstance}s. Non-default
   * settings, as a user tuning for low lateness would pick: {@code threads(16)} (default 10),
   * {@code pollingInterval(50 ms)} (default 10 s), {@code.pollUsingLockAndFetch(0.5, 4.0)}
   * (PostgreSQL's {@code UPDATE ... FOR UPDATE SKIP LOCKED ... RETURNING} poll; default is
   * fetch-then-lock with limits 0.5 and 3.0), {@code shutdownMaxWait(5 s)} (default 30 min; only
   * shortens closing). A HikariCP pool of 20 connections (autocommit on) serves both scheduling
   * and the scheduler.
   */
  static final class DbSchedulerScheduled implements ScheduledSystem {
    static final int THREADS = 20;
    static final Duration POLLING_INTERVAL = Duration.ofMillis(50);

    /** db-scheduler's published PostgreSQL schema ({@code postgresql_tables.sql}, 16.x). */
    static final List<String> DDL = List.of(
        "create table scheduled_tasks (task_name text not null, task_instance text not null,"
            + " task_data bytea, execution_time timestamp with time zone not null,"
            + " picked BOOLEAN not null, picked_by text,"
            + " last_success timestamp with time zone, last_failure timestamp with time zone,"
            + " consecutive_failures INT, last_heartbeat timestamp with time zone,"
            + " version BIGINT not null, priority SMALLINT,"
            + " PRIMARY KEY (task_name, task_instance))",
        "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
        "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
        "CREATE INDEX priority_execution_time_idx on scheduled_tasks"
            + " (priority desc, execution_time asc)");

    private final PgSchema schema;
    private final HikariDataSource pool;
    private final OneTimeTask<Void> task;
    private final Scheduler scheduler;
    private final Recorder recorder;

    DbSchedulerScheduled(Recorder recorder) throws Exception {
      this.recorder = recorder;
      schema = PgSchema.create("bench_dbs_");
      HikariDataSource p = null;
      try {
        try (Connection c = schema.connect(); Statement st = c.createStatement()) {
          for (String sql : DDL) {
            st.execute(sql);
          }
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(schema.url());
        config.setUsername(PgSchema.USER);
        config.setMaximumPoolSize(THREADS + 4);
        config.setPoolName("db-scheduler-bench");
        p = new HikariDataSource(config);
        task = Tasks.oneTime("due-event")
            .execute((inst, ctx) -> recorder.handled(Integer.parseInt(inst.getId()), nowMicros()));
        scheduler = Scheduler.create(p, task)
            .threads(THREADS)
            .pollingInterval(POLLING_INTERVAL)
            .pollUsingLockAndFetch(0.5, 4.0)
            .shutdownMaxWait(Duration.ofSeconds(5))
            .build();
        scheduler.start();
      } catch (Exception | Error e) {
        closeQuietly(p, schema);
        throw e;
      }
      pool = p;
    }

    @Override
    public void schedule(int from, int to) {
      long[] due = recorder.due;
      List<SchedulableInstance<?>> batch = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        batch.add(SchedulableInstance.of(task.instance(Integer.toString(i)), instant(due[i])));
      }
      scheduler.scheduleBatch(batch);
    }

    @Override
    public void close() throws Exception {
      try {
        scheduler.stop();
      } finally {
        closeQuietly(pool, schema);
      }
    }
  }

  /** Closes each in order; the first failure is thrown after all were tried. */
  static void closeQuietly(AutoCloseable... all) throws RuntimeException {
    RuntimeException first = null;
    for (AutoCloseable c : all) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
