package io.tito.bench;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.ModelStore;
import io.tito.pubsub.Message;
import io.tito.pubsub.TopicConfig;
import io.tito.pubsub.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The data-layer write on a SQL server: one transaction inserts a record with two indexes (a
 * unique email, a composite (city, age)) and publishes one event. Tito's JDBC engine (model
 * insert + {@code Topics.publish} in the same transaction) beside plain JDBC writing the same
 * record into an ordinary table with the same two indexes plus a row in an outbox table, with
 * one commit, in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JdbcRecordInsertBenchmark {

  @Param({"postgresql", "mariadb"})
  public String server;

  /**
   * Partitions of the events' topic (default 8, as {@code TopicConfig.DEFAULTS}); more make two
   * threads' publishes to one partition, which queue on its counter, rarer.
   */
  @Param({"8"})
  public int partitions;

  private final String table = BenchServers.freshTable("benchrec_");
  private final AtomicLong nextId = new AtomicLong();
  private Tito tito;
  private ModelStore<ModelBenchmark.Person> people;
  private Topics topics;

  String url() {
    return BenchServers.url(server);
  }

  String user() {
    return BenchServers.user(server);
  }

  @Setup(Level.Trial)
  public void open() throws SQLException {
    tito = Tito.builder().engine(server, Map.of("url", url(), "user", user(), "table", table)).build();
    people = DataStore.models().model(ModelBenchmark.PEOPLE).open(tito).store(ModelBenchmark.PEOPLE);
    topics = tito.topics();
    topics.createTopic("people", new TopicConfig(partitions, TopicConfig.DEFAULTS.retention()));
    boolean pg = server.equals("postgresql");
    try (Connection c = BenchServers.connect(server); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + "_people (id BIGINT PRIMARY KEY, email VARCHAR(255) NOT NULL, "
          + "city VARCHAR(64) NOT NULL, age INT NOT NULL, name VARCHAR(255) NOT NULL)");
      st.execute("CREATE UNIQUE INDEX " + table + "_email ON " + table + "_people (email)");
      st.execute("CREATE INDEX " + table + "_city_age ON " + table + "_people (city, age)");
      st.execute("CREATE TABLE " + table + "_outbox (id " + (pg ? "UUID" : "BINARY(16)")
          + " PRIMARY KEY, topic VARCHAR(64) NOT NULL, msg_key VARCHAR(64) NOT NULL, payload "
          + (pg ? "bytea" : "LONGBLOB") + " NOT NULL, created " + (pg ? "TIMESTAMPTZ" : "TIMESTAMP(6)")
          + " NOT NULL DEFAULT CURRENT_TIMESTAMP" + (pg ? "" : "(6)") + ")");
    }
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    tito.close();
    BenchServers.dropTables(server, table, "_people", "_outbox");
  }

  /** One connection per benchmark thread for the plain-JDBC baseline. */
  @State(Scope.Thread)
  public static class Plain {
    Connection connection;
    PreparedStatement insertPerson;
    PreparedStatement insertEvent;
    boolean pg;

    @Setup(Level.Trial)
    public void open(JdbcRecordInsertBenchmark bench) throws SQLException {
      pg = bench.server.equals("postgresql");
      connection = BenchServers.connect(bench.server);
      connection.setAutoCommit(false);
      insertPerson = connection.prepareStatement("INSERT INTO " + bench.table
          + "_people (id, email, city, age, name) VALUES (?, ?, ?, ?, ?)");
      insertEvent = connection.prepareStatement("INSERT INTO " + bench.table
          + "_outbox (id, topic, msg_key, payload) VALUES (?, ?, ?, ?)");
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      insertPerson.close();
      insertEvent.close();
      connection.close();
    }
  }

  private static byte[] payload(ModelBenchmark.Person p) {
    return ("{\"id\":" + p.id() + ",\"email\":\"" + p.email() + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public void tito() {
    ModelBenchmark.Person p = ModelBenchmark.person(nextId.incrementAndGet());
    tito.inTransaction(tx -> {
      people.insert(tx, p);
      topics.publish(tx, "people", Message.of(Long.toString(p.id()), payload(p)));
    });
  }

  @Benchmark
  public void plainJdbc(Plain plain) throws SQLException {
    ModelBenchmark.Person p = ModelBenchmark.person(nextId.incrementAndGet());
    plain.insertPerson.setLong(1, p.id());
    plain.insertPerson.setString(2, p.email());
    plain.insertPerson.setString(3, p.city());
    plain.insertPerson.setInt(4, p.age());
    plain.insertPerson.setString(5, p.name());
    plain.insertPerson.executeUpdate();
    UUID id = UUID.randomUUID();
    if (plain.pg) {
      plain.insertEvent.setObject(1, id);
    } else {
      plain.insertEvent.setBytes(1, java.nio.ByteBuffer.allocate(16)
          .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
    }
    plain.insertEvent.setString(2, "people");
    plain.insertEvent.setString(3, Long.toString(p.id()));
    plain.insertEvent.setBytes(4, payload(p));
    plain.insertEvent.executeUpdate();
    plain.connection.commit();
  }
}
