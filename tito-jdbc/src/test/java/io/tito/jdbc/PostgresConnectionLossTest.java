package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tito.CommitUnknownException;
import io.tito.ConflictException;
import io.tito.KeyValue;
import io.tito.ScanOptions;
import io.tito.StorageException;
import io.tito.spi.EngineTransaction;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real fault: a private PostgreSQL instance is killed ({@code pg_ctl stop -m immediate}) while
 * writers commit, then started again. Every failed transaction must report a retriable error or
 * an unknown commit, no committed transaction may be lost or half-applied, and the engine's pool
 * must recover so that later transactions (and the notification listener) work again.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresConnectionLossTest {

  /** UNAVAILABLE: a retriable storage failure, so not applied either. */
  private enum Outcome { COMMITTED, NOT_APPLIED, UNAVAILABLE, UNKNOWN }

  private static final byte[] COUNTER = {'c'};

  private static byte[] key(int id) {
    return ByteBuffer.allocate(5).put((byte) 'w').putInt(id).array();
  }

  @Test
  void aServerRestartMidWorkGivesRetriableErrorsOrCommitUnknownNeverAWrongAnswer() throws Exception {
    try (ThrowawayPostgres pg = ThrowawayPostgres.start();
        JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(pg.jdbcUrl()).user("postgres")
            .table("tito_kv").poolSize(4).connectionTimeout(Duration.ofSeconds(1)).build())) {
      Semaphore wakeUps = new Semaphore(0);
      engine.listen("events", payload -> wakeUps.release());
      Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
      List<Throwable> wrong = new CopyOnWriteArrayList<>();
      AtomicInteger ids = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService writers = Executors.newFixedThreadPool(4);
      List<Future<?>> running = new java.util.ArrayList<>();
      for (int w = 0; w < 4; w++) {
        running.add(writers.submit(() -> {
          while (!stop.get()) {
            write(engine, ids.incrementAndGet(), outcomes, wrong);
          }
        }));
      }
      await("commits before the fault", () -> committed(outcomes) >= 20);
      int beforeStop = committed(outcomes);
      pg.stopImmediately();
      await("writers failing while the server is down", () -> outcomes.containsValue(Outcome.UNAVAILABLE));
      pg.startServer();
      wakeUps.drainPermits();
      // The pool recovers: commits succeed again within a few seconds.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int afterRestart = committed(outcomes);
      while (committed(outcomes) < afterRestart + 20 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      stop.set(true);
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      writers.shutdown();

      System.out.println("outcomes: " + outcomes.values().stream()
          .collect(Collectors.groupingBy(o -> o, Collectors.counting())));
      assertThat(wrong).as("failures that were neither retriable nor commit-unknown").isEmpty();
      assertThat(beforeStop).as("commits before the fault").isPositive();
      assertThat(committed(outcomes)).as("commits after the restart").isGreaterThanOrEqualTo(afterRestart + 20);
      assertThat(outcomes.values()).as("failures seen while the server was down").contains(Outcome.UNAVAILABLE);

      try (EngineTransaction tx = engine.begin(true)) {
        Set<Integer> present;
        try (var cursor = tx.scan(key(0), key(Integer.MAX_VALUE), ScanOptions.FORWARD)) {
          present = cursor.toList().stream().map(kv -> ByteBuffer.wrap(kv.key(), 1, 4).getInt())
              .collect(Collectors.toSet());
        }
        for (Map.Entry<Integer, Outcome> e : outcomes.entrySet()) {
          if (e.getValue() == Outcome.COMMITTED) {
            assertThat(present).as("a committed transaction was lost").contains(e.getKey());
          } else if (e.getValue() == Outcome.NOT_APPLIED || e.getValue() == Outcome.UNAVAILABLE) {
            assertThat(present).as("a transaction reported as not applied was applied").doesNotContain(e.getKey());
          }
        }
        // Each transaction wrote its key and incremented the counter atomically.
        long counter = ByteBuffer.wrap(tx.get(COUNTER)).getLong();
        assertThat(counter).as("counter against keys written (no half-applied commits)").isEqualTo(present.size());
      }

      // A second engine (its own commits do not wake an engine's listeners) notifies.
      wakeUps.drainPermits();
      try (JdbcEngine other = JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(pg.jdbcUrl())
              .user("postgres").table("tito_kv").poolSize(1).build());
          EngineTransaction tx = other.begin(false)) {
        tx.notifyOnCommit("events");
        tx.set(new byte[] {'n'}, new byte[] {1});
        tx.commit();
      }
      assertThat(wakeUps.tryAcquire(15, TimeUnit.SECONDS)).as("the listener reconnected").isTrue();
    }
  }

  /**
   * Deterministic commit-in-flight loss: with a synchronous standby configured that never
   * connects, COMMIT is flushed locally and then waits; the server is killed meanwhile. The commit
   * must be reported as unknown, and after recovery it turns out applied: retrying it blindly
   * would have applied it twice.
   */
  @Test
  void aConnectionLostDuringCommitIsCommitUnknown() throws Exception {
    try (ThrowawayPostgres pg = ThrowawayPostgres.start();
        JdbcEngine engine = JdbcEngine.open(JdbcEngineOptions.builder().jdbcUrl(pg.jdbcUrl()).user("postgres")
            .table("tito_kv").poolSize(2).connectionTimeout(Duration.ofSeconds(1)).build())) {
      setSynchronousStandby(pg, "tito_never_connects");
      ExecutorService committer = Executors.newSingleThreadExecutor();
      Future<Throwable> outcome = committer.submit(() -> {
        try (EngineTransaction tx = engine.begin(false)) {
          tx.set(key(1), new byte[] {1});
          tx.commit();
          return null;
        } catch (Throwable t) {
          return t;
        }
      });
      await("a COMMIT waiting for the synchronous standby", () -> backendsWaiting(pg, "SyncRep") > 0);
      assertThat(outcome.isDone()).as("commit waits for the standby").isFalse();
      pg.stopImmediately();
      Throwable failure = outcome.get(30, TimeUnit.SECONDS);
      committer.shutdown();
      assertThat(failure).isInstanceOf(CommitUnknownException.class);
      pg.startServer();
      setSynchronousStandby(pg, "");
      byte[] value = null;
      for (int attempt = 0; attempt < 50; attempt++) {
        try (EngineTransaction tx = engine.begin(true)) {
          value = tx.get(key(1));
          break;
        } catch (StorageException e) {
          assertThat(e.isRetriable()).isTrue();
          Thread.sleep(100);
        }
      }
      assertThat(value).as("the commit reported as unknown was in fact applied").containsExactly(1);
    }
  }

  private static void setSynchronousStandby(ThrowawayPostgres pg, String names) throws Exception {
    try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), "postgres", null);
        var st = c.createStatement()) {
      st.execute("ALTER SYSTEM SET synchronous_standby_names = '" + names + "'");
      st.execute("SELECT pg_reload_conf()");
    }
    // The reload is asynchronous: poll until new sessions see the setting.
    await("synchronous_standby_names = '" + names + "'", () -> names.equals(query(pg, "SHOW synchronous_standby_names")));
  }

  private static int backendsWaiting(ThrowawayPostgres pg, String waitEvent) {
    return Integer.parseInt(query(pg, "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event = '" + waitEvent + "'"));
  }

  private static String query(ThrowawayPostgres pg, String sql) {
    try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), "postgres", null);
        var st = c.createStatement(); var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Polls {@code condition} until it holds; fails (not hangs) after a minute. */
  private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static int committed(Map<Integer, Outcome> outcomes) {
    return (int) outcomes.values().stream().filter(o -> o == Outcome.COMMITTED).count();
  }

  private static void write(JdbcEngine engine, int id, Map<Integer, Outcome> outcomes, List<Throwable> wrong) {
    try (EngineTransaction tx = engine.begin(false)) {
      byte[] c = tx.get(COUNTER);
      long n = c == null ? 0 : ByteBuffer.wrap(c).getLong();
      try (var cursor = tx.scan(key(0), key(Integer.MAX_VALUE), new ScanOptions(true, 3))) {
        List<KeyValue> last = cursor.toList();
        assertThat(last.size()).isLessThanOrEqualTo(3);
      }
      tx.set(key(id), new byte[] {1});
      tx.set(COUNTER, ByteBuffer.allocate(8).putLong(n + 1).array());
      tx.commit();
      outcomes.put(id, Outcome.COMMITTED);
    } catch (ConflictException e) {
      outcomes.put(id, Outcome.NOT_APPLIED);
    } catch (StorageException e) {
      outcomes.put(id, e.isRetriable() ? Outcome.UNAVAILABLE : Outcome.NOT_APPLIED);
      if (!e.isRetriable()) {
        wrong.add(e);
      }
      pause();
    } catch (CommitUnknownException e) {
      outcomes.put(id, Outcome.UNKNOWN);
      pause();
    } catch (RuntimeException | Error e) {
      outcomes.put(id, Outcome.UNKNOWN);
      wrong.add(e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
