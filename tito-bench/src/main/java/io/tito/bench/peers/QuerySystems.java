package io.tito.bench.peers;

import io.tito.Tito;
import io.tito.data.DataStore;
import io.tito.data.Model;
import io.tito.data.ModelStore;
import io.tito.data.Page;
import io.tito.data.Versioned;
import io.tito.bench.peers.WriteSystems.Person;
import io.tito.rocksdb.RocksDbEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The systems compared in the index-query scenario. Each holds person records (see {@link
 * WriteSystems#person}) with a composite index on (city, age) and a covering one, can load more
 * of them, and
 * answers a point read by id and the first page of {@code city = ? AND age >= ?} ordered by
 * (age, id). Every answer is reduced to a checksum of the ids returned, so two systems that did
 * the same work on the same arguments return the same sums.
 */
final class QuerySystems {

  private QuerySystems() {}

  /** One system under test, opened in its own directory. */
  interface QuerySystem extends AutoCloseable {
    /** Stores persons {@code from} (inclusive) to {@code to} (exclusive). */
    void load(long from, long to) throws Exception;

    /** Reads person {@code id} and returns its id plus its age (a decoded field). */
    long pointRead(long id) throws Exception;

    /**
     * Reads the first {@code limit} persons of {@code city} with age {@code >= minAge}, through
     * the plain index or the covering one.
     */
    long firstPage(String city, int minAge, int limit, boolean covering) throws Exception;

    /** Settles the store after a load, as a long-running store is settled (see IndexQueries). */
    void settle() throws Exception;
  }

  /**
   * The persons of {@link WriteSystems#PEOPLE} with one more index on (city, age) that is
   * declared covering: its entries hold the records.
   */
  static final Model<Person> PEOPLE = Model.builder(Person.class, "people")
      .id(Person::id)
      .index("by_email", ix -> ix.field("email", Person::email).unique())
      .index("by_city_age", ix -> ix.field("city", Person::city).field("age", Person::age))
      .index("by_city_age_covering", ix -> ix.field("city", Person::city)
          .field("age", Person::age).covering())
      .build();

  static final int LOAD_BATCH = 1_000;

  /** Tito on RocksDB (durability none while loading does not matter to reads). */
  static final class TitoQueries implements QuerySystem {
    private final Tito tito;
    private final ModelStore<Person> people;

    TitoQueries(Path dir) {
      this(dir, Map.of());
    }

    /** With extra engine settings ({@code path} and {@code durability} are set here). */
    TitoQueries(Path dir, Map<String, String> settings) {
      Map<String, String> all = new java.util.HashMap<>(settings);
      all.put("path", dir.toString());
      all.put("durability", "none");
      tito = Tito.builder().engine("rocksdb", all).build();
      people = DataStore.models().model(PEOPLE).open(tito).store(PEOPLE);
      awaitCacheWarming();
    }

    /**
     * Waits for the block cache warming started at open (RocksDbOptions.warmCache), so that no
     * timed read competes with it; prints how long it took when it ran.
     */
    void awaitCacheWarming() {
      long t = System.nanoTime();
      try {
        if (!engine().awaitCacheWarming(java.time.Duration.ofMinutes(10))) {
          throw new IllegalStateException("block cache warming did not end in 10 minutes");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      long ms = (System.nanoTime() - t) / 1_000_000;
      if (ms > 0) {
        System.out.printf(java.util.Locale.ROOT, "waited %,d ms for block cache warming%n", ms);
      }
    }

    RocksDbEngine engine() {
      return (RocksDbEngine) tito.engine();
    }

    @Override
    public void load(long from, long to) {
      for (long start = from; start < to; start += LOAD_BATCH) {
        long first = start;
        long end = Math.min(to, start + LOAD_BATCH);
        tito.inTransaction(tx -> {
          for (long i = first; i < end; i++) {
            people.insert(tx, WriteSystems.person(i));
          }
        });
      }
    }

    @Override
    public long pointRead(long id) {
      Person p = people.findById(id).orElseThrow().value();
      return p.id() + p.age();
    }

    @Override
    public long firstPage(String city, int minAge, int limit, boolean covering) {
      Page<Person> page = people.query(covering ? "by_city_age_covering" : "by_city_age")
          .eq(city).ge(minAge).limit(limit).page();
      long sum = 0;
      for (Versioned<Person> v : page.items()) {
        Person p = v.value();
        sum = sum * 31 + p.id();
      }
      return sum;
    }

    /** Flushes and compacts the whole store (waited for). */
    @Override
    public void settle() {
      ((RocksDbEngine) tito.engine()).compact();
    }

    @Override
    public void close() {
      tito.close();
    }
  }

  /**
   * SQLite (xerial driver) in WAL mode with {@code synchronous=NORMAL}, a table with an integer
   * primary key (the row id), an index on (city, age) and one on (city, age, id, email, name)
   * (covering: the query needs no table read), loaded {@value #LOAD_BATCH} rows per
   * transaction; reads use prepared statements on one connection, other settings default.
   */
  static final class SqliteQueries implements QuerySystem {
    private final Connection c;
    private final PreparedStatement insert;
    private final PreparedStatement byId;
    private final PreparedStatement byCityAge;
    private final PreparedStatement byCityAgeCovering;

    SqliteQueries(Path dir) throws SQLException {
      c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("query.db"));
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("CREATE TABLE IF NOT EXISTS people (id INTEGER PRIMARY KEY, email TEXT NOT NULL,"
            + " city TEXT NOT NULL, age INTEGER NOT NULL, name TEXT NOT NULL)");
        s.execute("CREATE UNIQUE INDEX IF NOT EXISTS people_email ON people (email)");
        s.execute("CREATE INDEX IF NOT EXISTS people_city_age ON people (city, age)");
        s.execute("CREATE INDEX IF NOT EXISTS people_city_age_covering ON people (city, age, id, email, name)");
      }
      c.setAutoCommit(false);
      insert = c.prepareStatement(
          "INSERT INTO people (id, email, city, age, name) VALUES (?, ?, ?, ?, ?)");
      byId = c.prepareStatement("SELECT id, email, city, age, name FROM people WHERE id = ?");
      byCityAge = c.prepareStatement("SELECT id, email, city, age, name FROM people"
          + " INDEXED BY people_city_age WHERE city = ? AND age >= ? ORDER BY age, id LIMIT ?");
      byCityAgeCovering = c.prepareStatement("SELECT id, email, city, age, name FROM people"
          + " INDEXED BY people_city_age_covering WHERE city = ? AND age >= ?"
          + " ORDER BY age, id LIMIT ?");
    }

    @Override
    public void load(long from, long to) throws SQLException {
      for (long i = from; i < to; i++) {
        Person p = WriteSystems.person(i);
        insert.setLong(1, p.id());
        insert.setString(2, p.email());
        insert.setString(3, p.city());
        insert.setInt(4, p.age());
        insert.setString(5, p.name());
        insert.addBatch();
        if ((i - from + 1) % LOAD_BATCH == 0 || i == to - 1) {
          insert.executeBatch();
          c.commit();
        }
      }
    }

    private static Person row(ResultSet rs) throws SQLException {
      return new Person(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
          rs.getString(5));
    }

    @Override
    public long pointRead(long id) throws SQLException {
      byId.setLong(1, id);
      try (ResultSet rs = byId.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no person " + id);
        }
        Person p = row(rs);
        return p.id() + p.age();
      } finally {
        c.commit();
      }
    }

    @Override
    public long firstPage(String city, int minAge, int limit, boolean covering)
        throws SQLException {
      PreparedStatement q = covering ? byCityAgeCovering : byCityAge;
      q.setString(1, city);
      q.setInt(2, minAge);
      q.setInt(3, limit);
      long sum = 0;
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          sum = sum * 31 + row(rs).id();
        }
      } finally {
        c.commit();
      }
      return sum;
    }

    /** Checkpoints the WAL into the database file and gathers statistics. */
    @Override
    public void settle() throws SQLException {
      c.commit();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } finally {
        c.setAutoCommit(false);
      }
    }

    @Override
    public void close() throws SQLException {
      insert.close();
      byId.close();
      byCityAge.close();
      byCityAgeCovering.close();
      c.close();
    }
  }
}
