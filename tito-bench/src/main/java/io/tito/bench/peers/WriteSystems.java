package io.tito.bench.peers;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.pubsub.Message;
import io.tito.pubsub.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The systems compared in the embedded-write scenario. Each writes, per transaction, one person
 * record with two secondary indexes (a unique email, a composite (city, age)) and one 100-byte
 * outbox event, and can count afterwards how many records and events it holds.
 */
final class WriteSystems {

  private WriteSystems() {}

  /** A person row; about 100 bytes as JSON. */
  public record Person(long id, String email, String city, int age, String name) {}

  static final int EVENT_BYTES = 100;
  static final String TOPIC = "people-events";

  static Person person(long i) {
    return new Person(i, "user" + i + "@example.com", "city-" + (i % 100), (int) (i * 7 % 90),
        "Person number " + i);
  }

  static byte[] event(long i) {
    byte[] b = new byte[EVENT_BYTES];
    ByteBuffer.wrap(b).putLong(i);
    return b;
  }

  /** One system under test, opened in its own directory. */
  interface WriteSystem extends AutoCloseable {
    /** Writes person {@code i} and its event in one committed transaction. */
    void write(long i) throws Exception;

    /** The number of records stored (counted through both indexes, which must agree). */
    long records() throws Exception;

    /** The number of outbox events stored. */
    long events() throws Exception;

    /**
     * Brings the store to its steady state before timing, as if it had run for a while: Tito on
     * RocksDB writes into a reused, fully written log ({@link io.tito.bench.SteadyStore}; syncs
     * overwrite written blocks, as SQLite's WAL does after its first checkpoint). Nothing for the
     * others.
     */
    default void settle() throws Exception {}
  }

  static final Model<Person> PEOPLE = Model.builder(Person.class, "people")
      .id(Person::id)
      .index("by_email", ix -> ix.field("email", Person::email).unique())
      .index("by_city_age", ix -> ix.field("city", Person::city).field("age", Person::age))
      .build();

  /** Tito on RocksDB: a model insert and a {@link Topics#publish} in one transaction. */
  static final class TitoWrite implements WriteSystem {
    private final Tito tito;
    private final ModelStore<Person> people;
    private final Topics topics;

    TitoWrite(Path dir, String durability) {
      tito = Tito.builder()
          .engine("rocksdb", Map.of("path", dir.toString(), "durability", durability))
          .build();
      people = DataStore.models().model(PEOPLE).open(tito).store(PEOPLE);
      topics = tito.topics();
      topics.createTopic(TOPIC);
    }

    /** The store (for probes that read its engine's counters). */
    Tito tito() {
      return tito;
    }

    @Override
    public void settle() {
      io.tito.bench.SteadyStore.settle(tito.engine());
    }

    @Override
    public void write(long i) {
      Person p = person(i);
      tito.inTransaction(tx -> {
        people.insert(tx, p);
        topics.publish(tx, TOPIC, Message.of(p.email(), event(i)));
      });
    }

    @Override
    public long records() {
      long byEmail = people.count("by_email");
      long byCity = people.count("by_city_age");
      return byEmail == byCity ? byEmail : -1;
    }

    @Override
    public long events() {
      long n = 0;
      int partitions = topics.topic(TOPIC).partitions();
      for (int p = 0; p < partitions; p++) {
        n += topics.head(TOPIC, p);
      }
      return n;
    }

    @Override
    public void close() {
      tito.close();
    }
  }

  /** SQLite or H2 over JDBC: a table with two indexes and an outbox table, one commit each. */
  static final class JdbcWrite implements WriteSystem {
    private final Connection c;
    private final PreparedStatement insertPerson;
    private final PreparedStatement insertEvent;

    JdbcWrite(String url, String... setup) throws SQLException {
      c = DriverManager.getConnection(url);
      try (Statement s = c.createStatement()) {
        for (String sql : setup) {
          s.execute(sql);
        }
        s.execute("CREATE TABLE people (id BIGINT PRIMARY KEY, email VARCHAR(100) NOT NULL,"
            + " city VARCHAR(50) NOT NULL, age INT NOT NULL, name VARCHAR(100) NOT NULL)");
        s.execute("CREATE UNIQUE INDEX people_email ON people (email)");
        s.execute("CREATE INDEX people_city_age ON people (city, age)");
        s.execute("CREATE TABLE outbox (id BIGINT PRIMARY KEY, topic VARCHAR(50) NOT NULL,"
            + " msg_key VARCHAR(100) NOT NULL, payload " + blobType(url) + " NOT NULL)");
      }
      c.setAutoCommit(false);
      insertPerson = c.prepareStatement(
          "INSERT INTO people (id, email, city, age, name) VALUES (?, ?, ?, ?, ?)");
      insertEvent = c.prepareStatement(
          "INSERT INTO outbox (id, topic, msg_key, payload) VALUES (?, ?, ?, ?)");
    }

    private static String blobType(String url) {
      return url.startsWith("jdbc:h2:") ? "VARBINARY(200)" : "BLOB";
    }

    /** SQLite in WAL mode with {@code synchronous} FULL (durable) or NORMAL (relaxed). */
    static JdbcWrite sqlite(Path dir, boolean durable) throws SQLException {
      return new JdbcWrite("jdbc:sqlite:" + dir.resolve("bench.db"),
          "PRAGMA journal_mode=WAL", "PRAGMA synchronous=" + (durable ? "FULL" : "NORMAL"));
    }

    /** H2 embedded file database: WRITE_DELAY=0 (durable) or its default of 500 ms (relaxed). */
    static JdbcWrite h2(Path dir, boolean durable) throws SQLException {
      return new JdbcWrite("jdbc:h2:file:" + dir.resolve("bench")
          + (durable ? ";WRITE_DELAY=0" : ""));
    }

    @Override
    public void write(long i) throws SQLException {
      Person p = person(i);
      try {
        insertPerson.setLong(1, p.id());
        insertPerson.setString(2, p.email());
        insertPerson.setString(3, p.city());
        insertPerson.setInt(4, p.age());
        insertPerson.setString(5, p.name());
        insertPerson.executeUpdate();
        insertEvent.setLong(1, i);
        insertEvent.setString(2, TOPIC);
        insertEvent.setString(3, p.email());
        insertEvent.setBytes(4, event(i));
        insertEvent.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }

    private long count(String sql) throws SQLException {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        long n = rs.getLong(1);
        c.commit();
        return n;
      }
    }

    @Override
    public long records() throws SQLException {
      long byEmail = count("SELECT COUNT(email) FROM people WHERE email >= ''");
      long byCity = count("SELECT COUNT(*) FROM people WHERE city >= ''");
      return byEmail == byCity ? byEmail : -1;
    }

    @Override
    public long events() throws SQLException {
      return count("SELECT COUNT(*) FROM outbox");
    }

    @Override
    public void close() throws SQLException {
      insertPerson.close();
      insertEvent.close();
      c.close();
    }
  }

  /**
   * Raw RocksDB, the floor: one {@link WriteBatch} of four puts (the record as JSON-sized bytes,
   * two index entries, one event), written with {@code sync} true (durable) or false (relaxed,
   * WAL still written).
   */
  static final class RawRocksWrite implements WriteSystem {
    static {
      RocksDB.loadLibrary();
    }

    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions;

    RawRocksWrite(Path dir, boolean durable) throws RocksDBException {
      options = new Options().setCreateIfMissing(true);
      db = RocksDB.open(options, dir.toString());
      writeOptions = new WriteOptions().setSync(durable);
    }

    private static byte[] key(String prefix, String rest) {
      return (prefix + rest).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(long i) throws RocksDBException {
      Person p = person(i);
      String id = String.format("%016x", i);
      String json = "{\"id\":" + p.id() + ",\"email\":\"" + p.email() + "\",\"city\":\""
          + p.city() + "\",\"age\":" + p.age() + ",\"name\":\"" + p.name() + "\"}";
      try (WriteBatch b = new WriteBatch()) {
        b.put(key("r/", id), json.getBytes(StandardCharsets.UTF_8));
        b.put(key("e/", p.email()), id.getBytes(StandardCharsets.UTF_8));
        b.put(key("c/", p.city() + "/" + String.format("%03d", p.age()) + "/" + id), new byte[0]);
        b.put(key("o/", id), event(i));
        db.write(writeOptions, b);
      }
    }

    private long count(String prefix) {
      byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
      long n = 0;
      try (RocksIterator it = db.newIterator()) {
        for (it.seek(p); it.isValid() && startsWith(it.key(), p); it.next()) {
          n++;
        }
      }
      return n;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
      if (key.length < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (key[i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public long records() {
      long r = count("r/");
      return r == count("e/") && r == count("c/") ? r : -1;
    }

    @Override
    public long events() {
      return count("o/");
    }

    @Override
    public void close() {
      writeOptions.close();
      db.close();
      options.close();
    }
  }
}
