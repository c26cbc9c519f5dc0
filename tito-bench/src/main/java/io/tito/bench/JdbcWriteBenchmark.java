package io.tito.bench;

import io.tito.Tito;
import io.tito.tuple.Subspace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
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
 * Committed small write transactions per second on a SQL server: Tito's JDBC engine (one new
 * 100-byte value per transaction) beside plain JDBC inserting the same row into an ordinary
 * table, in the same run, with and without a change-feed hold. Servers: the local PostgreSQL and MariaDB ({@code database test}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JdbcWriteBenchmark {

  @Param({"postgresql", "mariadb"})
  public String server;

  /**
   * Whether a change-feed retention hold (a backup's) exists during the run: with one, every
   * commit also writes its changes to the store's change log.
   */
  @Param({"false", "true"})
  public boolean hold;

  private final String table = BenchServers.freshTable("bench_");
  private final AtomicLong next = new AtomicLong();
  private final byte[] value = new byte[100];
  private Tito tito;
  private Subspace space;

  String url() {
    return BenchServers.url(server);
  }

  String user() {
    return BenchServers.user(server);
  }

  @Setup(Level.Trial)
  public void open() throws SQLException {
    tito = Tito.builder().engine(server, Map.of("url", url(), "user", user(), "table", table)).build();
    space = tito.root().subspace("bench");
    if (hold) {
      tito.engine().changeFeed().placeHold("bench");
    }
    try (Connection c = BenchServers.connect(server); Statement st = c.createStatement()) {
      String bin = server.equals("postgresql") ? "bytea" : "VARBINARY(64)";
      String blob = server.equals("postgresql") ? "bytea" : "LONGBLOB";
      st.execute("CREATE TABLE " + table + "_plain (k " + bin + " PRIMARY KEY, v " + blob + ")");
    }
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    if (hold) {
      tito.engine().changeFeed().releaseHold("bench");
    }
    tito.close();
    BenchServers.dropTables(server, table, "_plain");
  }

  /** One connection per benchmark thread for the plain-JDBC baseline. */
  @State(Scope.Thread)
  public static class PlainConnection {
    Connection connection;
    PreparedStatement insert;

    @Setup(Level.Trial)
    public void open(JdbcWriteBenchmark bench) throws SQLException {
      connection = BenchServers.connect(bench.server);
      connection.setAutoCommit(false);
      insert = connection.prepareStatement("INSERT INTO " + bench.table + "_plain (k, v) VALUES (?, ?)");
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      insert.close();
      connection.close();
    }
  }

  @Benchmark
  public void tito() {
    byte[] key = space.pack(next.incrementAndGet());
    tito.inTransaction(tx -> tx.set(key, value));
  }

  @Benchmark
  public void plainJdbc(PlainConnection plain) throws SQLException {
    plain.insert.setBytes(1, space.pack(next.incrementAndGet()));
    plain.insert.setBytes(2, value);
    plain.insert.executeUpdate();
    plain.connection.commit();
  }
}
