package io.tito.jdbc;

import io.tito.Backoff;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Where the engine's HikariCP pools get new connections: the driver, retried here while the
 * server cannot be reached, with a short capped backoff.
 *
 * <p>Why: HikariCP retries a failed connection attempt itself, but doubles its pause up to five
 * seconds. After an outage of a few seconds the pool therefore noticed the server's return only
 * up to five seconds later, and every transaction waited that long (fast restarts recovered in
 * milliseconds). Here a connection failure (the dialect's connection errors) is retried every
 * {@value #MAX_BACKOFF_MILLIS} ms at most, inside one attempt of the pool, so the pool's own
 * backoff never grows and a connection is made as soon as the server accepts one. Until the pool
 * has started ({@link #startRetrying()}), and once it closes ({@link #close()}), failures are
 * reported at once, so that {@code open} of an unreachable server fails fast. Thread-safe.
 */
final class ReconnectingDataSource implements DataSource {

  /** Makes one connection. */
  interface Connector {
    Connection connect() throws SQLException;
  }

  /** Waits between attempts; replaceable in tests. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  static final long FIRST_BACKOFF_MILLIS = 10;
  static final long MAX_BACKOFF_MILLIS = 250;
  /** Between connection attempts: 10 ms doubling to 250 ms, no jitter (one waiter per call). */
  static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(FIRST_BACKOFF_MILLIS),
      Duration.ofMillis(MAX_BACKOFF_MILLIS), Backoff.Jitter.NONE);

  private final Connector connector;
  private final Errors errors;
  private final Sleeper sleeper;
  private volatile boolean retrying;
  private volatile boolean closed;
  private volatile int loginTimeoutSeconds;

  ReconnectingDataSource(Connector connector, Errors errors, Sleeper sleeper) {
    this.connector = connector;
    this.errors = errors;
    this.sleeper = sleeper;
  }

  /** Connects through {@link DriverManager} to {@code url} as {@code user}. */
  static ReconnectingDataSource forUrl(String url, String user, String password, Errors errors) {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    if ((url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:"))
        && !url.contains("allowMultiQueries")) {
      // MariaDB's commit sends its statements as two multi-statement queries (MultiStatementCommit).
      p.setProperty("allowMultiQueries", "true");
    }
    return new ReconnectingDataSource(() -> DriverManager.getConnection(url, p), errors,
        TimeUnit.MILLISECONDS::sleep);
  }

  /** From now on, connection failures are retried until the server answers or this closes. */
  void startRetrying() {
    retrying = true;
  }

  /** Ends retrying: attempts in progress give up after their current try. */
  void close() {
    closed = true;
  }

  /** Whether an attempt would currently keep retrying connection failures. */
  boolean isRetrying() {
    return retrying && !closed;
  }

  @Override
  public Connection getConnection() throws SQLException {
    int failures = 0;
    while (true) {
      try {
        return connector.connect();
      } catch (SQLException e) {
        if (!isRetrying() || errors.classify(e) != Errors.Kind.CONNECTION) {
          throw e;
        }
        try {
          sleeper.sleep(BACKOFF.delayNanos(++failures) / 1_000_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials are fixed when the engine opens");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // no logging through the DataSource interface
  }

  /** As HikariCP's own driver data source does: the drivers read it from {@link DriverManager}. */
  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeoutSeconds = seconds;
    if (seconds > 0) {
      DriverManager.setLoginTimeout(seconds);
    }
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper of " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
