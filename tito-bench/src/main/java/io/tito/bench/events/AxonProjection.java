package io.tito.bench.events;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.PostgresTokenTableFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The Axon peer of the projection benchmark: Axon 4.13's {@link TrackingEventProcessor} (one
 * segment, single-threaded, {@code batchSize} events per transaction) over its {@link
 * EmbeddedEventStore} on the {@link AxonEvents} JDBC storage engine, with a {@link JdbcTokenStore}
 * and a balances table in the same PostgreSQL schema. Each batch runs in one JDBC transaction
 * (a small {@link TransactionManager} binding one connection to the processor thread), so the
 * token and the read-model rows commit together, as Tito's projection checkpoint does. The
 * handler reads the account's balance and upserts it, per event.
 */
final class AxonProjection {

  private AxonProjection() {}

  /** A connection bound to the processor thread's transaction, or null outside one. */
  private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();

  /**
   * Runs a tracking processor from the start of {@code axon}'s log until it handled {@code
   * events} events, and returns the seconds it took; checks the balances add up to {@code sum}.
   */
  static double run(AxonEvents axon, long events, long sum, int batchSize) throws Exception {
    try (Connection c = axon.pool().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE balances (stream varchar(255) PRIMARY KEY, balance bigint NOT NULL)");
    }
    ConnectionProvider connections = () -> {
      Connection bound = CURRENT.get();
      return bound != null ? unclosable(bound) : axon.pool().getConnection();
    };
    TransactionManager transactions = () -> {
      try {
        Connection c = axon.pool().getConnection();
        c.setAutoCommit(false);
        CURRENT.set(c);
        return new Transaction() {
          @Override
          public void commit() {
            finish(c, true);
          }

          @Override
          public void rollback() {
            finish(c, false);
          }
        };
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    };
    JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
    JdbcTokenStore tokens = JdbcTokenStore.builder().connectionProvider(connections).serializer(serializer).build();
    tokens.createSchema(PostgresTokenTableFactory.INSTANCE);
    EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(axon.engine()).build();
    AtomicLong handled = new AtomicLong();
    EventMessageHandler handler = new EventMessageHandler() {
      @Override
      public Object handle(EventMessage<?> event) throws Exception {
        String stream = ((DomainEventMessage<?>) event).getAggregateIdentifier();
        long amount = ((Deposited) event.getPayload()).amount();
        Connection c = connections.getConnection();
        long balance = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM balances WHERE stream = ?")) {
          ps.setString(1, stream);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              balance = rs.getLong(1);
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO balances (stream, balance) VALUES (?, ?)"
            + " ON CONFLICT (stream) DO UPDATE SET balance = excluded.balance")) {
          ps.setString(1, stream);
          ps.setLong(2, balance + amount);
          ps.executeUpdate();
        }
        handled.incrementAndGet();
        return null;
      }
    };
    TrackingEventProcessor processor = TrackingEventProcessor.builder().name("balances")
        .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(handler).build())
        .messageSource(store).tokenStore(tokens).transactionManager(transactions)
        .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
            .andBatchSize(batchSize).andInitialSegmentsCount(1))
        .build();
    long t0 = System.nanoTime();
    processor.start();
    try {
      long deadline = t0 + 30L * 60 * 1_000_000_000L;
      while (handled.get() < events) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Axon processor handled " + handled.get() + " of " + events);
        }
        Thread.sleep(2);
      }
    } finally {
      processor.shutDown();
      store.shutDown();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    try (Connection c = axon.pool().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(sum(balance), 0) FROM balances")) {
      rs.next();
      if (rs.getLong(1) != sum) {
        throw new IllegalStateException("Axon read model sum " + rs.getLong(1) + " != appended " + sum);
      }
    }
    return seconds;
  }

  private static void finish(Connection c, boolean commit) {
    try {
      if (commit) {
        c.commit();
      } else {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } finally {
      CURRENT.remove();
      try {
        c.setAutoCommit(true);
        c.close();
      } catch (SQLException e) {
        // closing a pooled connection; nothing to do
      }
    }
  }

  /** {@code c} with close() ignored: the transaction closes it. */
  private static Connection unclosable(Connection c) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> method.getName().equals("close") ? null : invoke(c, method, args));
  }

  private static Object invoke(Connection c, java.lang.reflect.Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(c, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
