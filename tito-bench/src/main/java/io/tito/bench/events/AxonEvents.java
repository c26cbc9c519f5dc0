package io.tito.bench.events;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The Axon Framework 4 peer: its {@link JdbcEventStorageEngine} on PostgreSQL with its own schema
 * ({@link PostgresEventTableFactory}: a {@code bigserial} global index, unique aggregate id and
 * sequence number), Jackson serialisation for events and snapshots, and no transaction manager, so
 * each append is one JDBC batch in one implicit transaction. Loads follow Axon's event store
 * (latest snapshot, then the events after it); the catch-up read is its tracking read from no token.
 */
final class AxonEvents implements EventSystem {

  private static final String TYPE = "Account";

  private final HikariDataSource pool;
  private final JdbcEventStorageEngine engine;

  /** Creates Axon's tables in {@code schema} (which must exist and be empty). */
  AxonEvents(String serverUrl, String user, String schema, int poolSize, int batchSize)
      throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(serverUrl + "?currentSchema=" + schema);
    config.setUsername(user);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("axon-events");
    pool = new HikariDataSource(config);
    JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
    engine = JdbcEventStorageEngine.builder()
        .connectionProvider(pool::getConnection)
        .transactionManager(NoTransactionManager.INSTANCE)
        .eventSerializer(serializer)
        .snapshotSerializer(serializer)
        .batchSize(batchSize)
        .build();
    engine.createSchema(PostgresEventTableFactory.INSTANCE);
  }

  @Override
  public String label() {
    return "Axon 4.13 JDBC (PostgreSQL)";
  }

  @Override
  public void append(String stream, long expectedVersion, int count, long firstAmount) {
    List<EventMessage<?>> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      // Axon's sequence numbers start at 0 where Tito's versions start at 1.
      events.add(new GenericDomainEventMessage<>(TYPE, stream, expectedVersion + i,
          new Deposited(firstAmount + i)));
    }
    engine.appendEvents(events);
  }

  @Override
  public void snapshot(String stream, long version, long sum) {
    engine.storeSnapshot(new GenericDomainEventMessage<>(TYPE, stream, version - 1,
        new Account(sum)));
  }

  @Override
  public long loadFromEvents(String stream) {
    return fold(engine.readEvents(stream, 0), 0);
  }

  @Override
  public long loadWithSnapshot(String stream) {
    Optional<DomainEventMessage<?>> snap = engine.readSnapshot(stream);
    if (snap.isEmpty()) {
      return fold(engine.readEvents(stream, 0), 0);
    }
    DomainEventMessage<?> s = snap.get();
    return fold(engine.readEvents(stream, s.getSequenceNumber() + 1),
        ((Account) s.getPayload()).balance());
  }

  private static long fold(DomainEventStream events, long sum) {
    while (events.hasNext()) {
      sum += ((Deposited) events.next().getPayload()).amount();
    }
    return sum;
  }

  @Override
  public long readAll(int page, long[] sums) {
    long n = 0;
    long sum = 0;
    try (Stream<? extends TrackedEventMessage<?>> all = engine.readEvents(null, false)) {
      Iterator<? extends TrackedEventMessage<?>> it = all.iterator();
      while (it.hasNext()) {
        sum += ((Deposited) it.next().getPayload()).amount();
        n++;
      }
    }
    sums[0] = sum;
    return n;
  }

  /** The storage engine (for the projection benchmark's tracking processor). */
  JdbcEventStorageEngine engine() {
    return engine;
  }

  /** The connection pool. */
  HikariDataSource pool() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }
}
