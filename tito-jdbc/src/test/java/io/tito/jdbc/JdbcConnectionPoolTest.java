package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tito.StorageException;
import io.tito.Tito;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import io.tito.spi.EngineTransaction;
import io.tito.spi.ForwardingEngine;
import io.tito.spi.ForwardingEngineTransaction;
import io.tito.spi.SystemTransactions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections for the work: the default pool holds the default handler concurrency with room to
 * spare, and Tito's own bookkeeping (heartbeats, lease renewals) has a pool of its own, so it goes
 * on while handlers hold every connection of the main pool. On the local PostgreSQL server; the
 * pools do not depend on the dialect.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JdbcConnectionPoolTest {

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<String> tables = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
    tables.forEach(t -> TestDatabases.dropStore(SqlDialect.POSTGRESQL, t));
  }

  private JdbcEngine open(java.util.function.UnaryOperator<JdbcEngineOptions.Builder> tweak) {
    String table = TestDatabases.freshTable();
    tables.add(table);
    JdbcEngine engine = JdbcEngine.open(tweak.apply(TestDatabases.options(SqlDialect.POSTGRESQL)
        .table(table).connectionTimeout(Duration.ofMillis(500))).build());
    toClose.add(engine);
    return engine;
  }

  private EngineTransaction hold(JdbcEngine engine) {
    EngineTransaction tx = engine.begin(false);
    toClose.add(tx);
    tx.get(new byte[] {1}); // the snapshot, and its connection, are taken
    return tx;
  }

  @Test
  void theDefaultPoolHoldsTheDefaultHandlerConcurrencyAndMore() {
    int handlers = SubscribeOptions.DEFAULTS.concurrency();
    // The pool opens connections lazily; on a loaded machine one can take longer than the
    // 500 ms the exhaustion tests use, so this test waits as long as a connection needs.
    JdbcEngine engine = open(b -> b.connectionTimeout(Duration.ofSeconds(30)));
    for (int i = 0; i < handlers; i++) {
      hold(engine); // a transactional handler holds its connection while it runs
    }
    // Partition reads, publishing and the application still get connections.
    for (int i = 0; i < 4; i++) {
      hold(engine);
    }
    assertThat(engine.options().poolSize()).isGreaterThan(handlers);
  }

  @Test
  void markedThreadsGetConnectionsWhileApplicationTransactionsHoldTheWholePool() throws Exception {
    JdbcEngine engine = open(b -> b.poolSize(2));
    hold(engine);
    hold(engine);
    assertThatThrownBy(() -> engine.begin(false)).as("the main pool is exhausted")
        .isInstanceOf(StorageException.class);
    CompletableFuture<Void> system = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      SystemTransactions.markCurrentThread();
      try (EngineTransaction tx = engine.begin(false)) {
        tx.set(new byte[] {2}, new byte[] {2});
        tx.commit();
        system.complete(null);
      } catch (Throwable t) {
        system.completeExceptionally(t);
      }
    });
    system.get(1, TimeUnit.MINUTES);
  }

  @Test
  void heartbeatsGoOnWhileTransactionalHandlersHoldEveryPooledConnection() throws Exception {
    AtomicInteger systemCommits = new AtomicInteger();
    JdbcEngine jdbc = open(b -> b.poolSize(2));
    Tito tito = Tito.open(new ForwardingEngine(jdbc) {
      @Override
      public EngineTransaction begin(boolean readOnly) {
        EngineTransaction tx = super.begin(readOnly);
        if (!SystemTransactions.isCurrentThreadMarked()) {
          return tx;
        }
        return new ForwardingEngineTransaction(tx) {
          @Override
          public void commit() {
            super.commit();
            systemCommits.incrementAndGet();
          }
        };
      }
    });
    Topics topics = tito.topics();
    topics.createTopic("jobs", new TopicConfig(2, Duration.ofDays(1)));
    Set<Integer> partitions = new HashSet<>();
    for (int i = 0; partitions.size() < 2; i++) {
      partitions.add(topics.publish("jobs", Message.of("k" + i, "x".getBytes(StandardCharsets.UTF_8)))
          .partition());
    }
    CountDownLatch entered = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    SubscribeOptions options = SubscribeOptions.builder().concurrency(2)
        .heartbeatInterval(Duration.ofMillis(100)).leaseTimeout(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100)).build();
    Subscription worker = topics.subscribeTransactional("jobs", "g", (tx, e) -> {
      entered.countDown();
      release.await();
    }, options);
    try {
      assertThat(entered.await(1, TimeUnit.MINUTES)).as("both handlers hold a connection").isTrue();
      int before = systemCommits.get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (systemCommits.get() < before + 3) {
        assertThat(System.nanoTime()).as("heartbeats committed while the handlers run")
            .isLessThan(deadline);
        Thread.sleep(20);
      }
    } finally {
      release.countDown();
      worker.close();
      tito.close();
    }
  }
}
