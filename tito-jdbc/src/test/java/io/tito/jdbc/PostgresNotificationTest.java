package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.InvalidArgumentException;
import io.tito.spi.Capability;
import io.tito.spi.ChangeListener;
import io.tito.spi.EngineTransaction;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LISTEN/NOTIFY between two engines on one store (standing in for two processes): a listener
 * wakes only after the notifying transaction commits, never for a rollback, and only for its own
 * channel. MariaDB declares no notifications and its listen is a no-op.
 */
class PostgresNotificationTest {

  private String table;
  private JdbcEngine publisher;
  private JdbcEngine subscriber;

  @BeforeEach
  void open() {
    table = TestDatabases.freshTable();
    publisher = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table).build());
    subscriber = JdbcEngine.open(TestDatabases.options(SqlDialect.POSTGRESQL).table(table).build());
  }

  @AfterEach
  void close() {
    publisher.close();
    subscriber.close();
    TestDatabases.dropStore(SqlDialect.POSTGRESQL, table);
  }

  @Test
  void aListenerWakesOnlyAfterCommitAndNeverForRollback() throws Exception {
    assertThat(publisher.capabilities()).contains(Capability.CHANGE_NOTIFICATIONS);
    Semaphore events = new Semaphore(0);
    AtomicInteger others = new AtomicInteger();
    AutoCloseable sub = subscriber.listen("events", payload -> events.release());
    subscriber.listen("other_channel", payload -> others.incrementAndGet());

    try (EngineTransaction tx = publisher.begin(false)) {
      tx.notifyOnCommit("events");
      tx.set(new byte[] {1}, new byte[] {1});
      tx.rollback();
    }
    assertThat(events.tryAcquire(1, TimeUnit.SECONDS)).as("woken by a rolled-back transaction").isFalse();

    try (EngineTransaction tx = publisher.begin(false)) {
      tx.notifyOnCommit("events");
      tx.notifyOnCommit("events");
      tx.set(new byte[] {2}, new byte[] {2});
      assertThat(events.tryAcquire(1, TimeUnit.SECONDS)).as("woken before commit").isFalse();
      tx.commit();
    }
    assertThat(events.tryAcquire(10, TimeUnit.SECONDS)).as("woken after commit").isTrue();
    assertThat(events.tryAcquire(500, TimeUnit.MILLISECONDS)).as("one wake-up per commit and channel").isFalse();
    assertThat(others.get()).as("listener of another channel").isZero();

    sub.close();
    try (EngineTransaction tx = publisher.begin(false)) {
      tx.notifyOnCommit("events");
      tx.set(new byte[] {3}, new byte[] {3});
      tx.commit();
    }
    assertThat(events.tryAcquire(1, TimeUnit.SECONDS)).as("woken after unsubscribing").isFalse();
  }

  @Test
  void anEngineIsNotWokenByItsOwnCommitsButOthersAre() throws Exception {
    Semaphore own = new Semaphore(0);
    Semaphore other = new Semaphore(0);
    publisher.listen("events", payload -> own.release());
    subscriber.listen("events", payload -> other.release());
    for (int i = 0; i < 5; i++) {
      try (EngineTransaction tx = publisher.begin(false)) {
        tx.notifyOnCommit("events");
        tx.set(new byte[] {9, (byte) i}, new byte[] {1});
        tx.commit();
      }
    }
    assertThat(other.tryAcquire(5, 10, TimeUnit.SECONDS)).as("the other engine, once per commit").isTrue();
    // The other engine has seen all five, so the notifications were delivered; none of them may
    // have reached the committing engine's own listener.
    assertThat(own.availablePermits()).as("wake-ups of the committing engine").isZero();
  }

  @Test
  void listenersGetPayloadsAndHearThatTheyListen() throws Exception {
    BlockingQueue<Optional<String>> payloads = new LinkedBlockingQueue<>();
    AtomicBoolean healthy = new AtomicBoolean();
    subscriber.listen("events", new ChangeListener() {
      @Override
      public void changed(String payload) {
        payloads.add(Optional.ofNullable(payload));
      }

      @Override
      public void listening(boolean value) {
        healthy.set(value);
      }
    });
    assertThat(healthy).as("told that it listens").isTrue();

    commitNotifying(tx -> {
      tx.notifyOnCommit("events", "3:orders");
      tx.notifyOnCommit("events", "4:orders");
    });
    assertThat(List.of(next(payloads), next(payloads)))
        .containsExactlyInAnyOrder(Optional.of("3:orders"), Optional.of("4:orders"));

    commitNotifying(tx -> {
      for (int i = 0; i <= JdbcTransaction.MAX_PAYLOADS; i++) {
        tx.notifyOnCommit("events", i + ":orders");
      }
    });
    assertThat(next(payloads)).as("too many payloads: one notification without").isEmpty();
    commitNotifying(tx -> tx.notifyOnCommit("events", "x".repeat(EngineTransaction.MAX_PAYLOAD + 1)));
    assertThat(next(payloads)).as("a payload too long").isEmpty();
    commitNotifying(tx -> {
      tx.notifyOnCommit("events", "1:orders");
      tx.notifyOnCommit("events");
    });
    assertThat(next(payloads)).as("a notification without payload covers the others").isEmpty();
    commitNotifying(tx -> tx.notifyOnCommit("events", "end"));
    assertThat(next(payloads)).as("nothing else was sent").contains("end");
  }

  private void commitNotifying(java.util.function.Consumer<EngineTransaction> notifications) {
    try (EngineTransaction tx = publisher.begin(false)) {
      notifications.accept(tx);
      tx.set(new byte[] {7}, new byte[] {7});
      tx.commit();
    }
  }

  private static Optional<String> next(BlockingQueue<Optional<String>> payloads) throws Exception {
    Optional<String> p = payloads.poll(10, TimeUnit.SECONDS);
    assertThat(p).as("a notification arrived").isNotNull();
    return p;
  }

  @Test
  void channelNamesAreValidated() {
    assertThatThrownBy(() -> subscriber.listen("bad channel", payload -> { }))
        .isInstanceOf(InvalidArgumentException.class);
    try (EngineTransaction tx = publisher.begin(false)) {
      assertThatThrownBy(() -> tx.notifyOnCommit("x'; DROP TABLE y; --"))
          .isInstanceOf(InvalidArgumentException.class);
      for (String bad : new String[] {"", "a".repeat(201), "caf\u00e9", "a-b", null}) {
        assertThatThrownBy(() -> tx.notifyOnCommit(bad)).as("channel %s", bad)
            .isInstanceOf(InvalidArgumentException.class);
      }
      tx.notifyOnCommit("Az_09" + "a".repeat(195));
    }
  }

  /**
   * The notifications ride in the commit's last round trip, in a transaction of their own after
   * the data COMMIT: when that transaction fails, the commit still reports success (the data is
   * committed) and the connection stays usable; when the data transaction fails, nothing is
   * reported as committed.
   */
  @Test
  void aFailedNotificationAfterTheDataCommitStillReportsTheCommit() throws Exception {
    Semaphore events = new Semaphore(0);
    subscriber.listen("events", payload -> events.release());
    publisher.failNotificationsForTest(true);
    try (EngineTransaction tx = publisher.begin(false)) {
      tx.notifyOnCommit("events", "p1");
      tx.set(new byte[] {7}, new byte[] {7});
      tx.commit();
    }
    try (EngineTransaction tx = publisher.begin(true)) {
      assertThat(tx.get(new byte[] {7})).as("committed despite the failed notification").isEqualTo(new byte[] {7});
    }
    publisher.failNotificationsForTest(false);
    for (int i = 0; i < 3; i++) {
      try (EngineTransaction tx = publisher.begin(false)) {
        tx.notifyOnCommit("events", "p" + i);
        tx.set(new byte[] {8, (byte) i}, new byte[] {8});
        tx.commit();
      }
    }
    assertThat(events.tryAcquire(3, 10, TimeUnit.SECONDS)).as("notified by later commits on the same pool").isTrue();

    // A conflict in the data transaction with notifications pending: a known failure, nothing applied.
    try (EngineTransaction stale = publisher.begin(false)) {
      stale.get(new byte[] {9});
      try (EngineTransaction winner = publisher.begin(false)) {
        winner.set(new byte[] {9}, new byte[] {1});
        winner.commit();
      }
      stale.notifyOnCommit("events", "stale");
      stale.set(new byte[] {9}, new byte[] {2});
      assertThatThrownBy(stale::commit).isInstanceOf(io.tito.ConflictException.class);
    }
    try (EngineTransaction tx = publisher.begin(true)) {
      assertThat(tx.get(new byte[] {9})).isEqualTo(new byte[] {1});
    }
  }
}
