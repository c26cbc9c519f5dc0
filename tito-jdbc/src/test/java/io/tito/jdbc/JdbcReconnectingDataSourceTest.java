package io.tito.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The mechanism behind prompt resumption after an outage (see {@link ReconnectingDataSource}):
 * while the pool runs, connection failures are retried with a pause capped at 250 ms, so the
 * pool's own backoff (up to 5 s in HikariCP) never grows; other failures, and failures before the
 * pool started or after it closed, are reported at once. Needs no server.
 */
class JdbcReconnectingDataSourceTest {

  private static final Errors ERRORS = new Errors(Dialect.POSTGRESQL);
  private static final Connection CONNECTION = (Connection) Proxy.newProxyInstance(
      Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> null);

  private final List<Long> sleeps = new ArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();

  private ReconnectingDataSource failing(int failures, String sqlState) {
    return new ReconnectingDataSource(() -> {
      if (attempts.incrementAndGet() <= failures) {
        throw new SQLException("server unavailable", sqlState);
      }
      return CONNECTION;
    }, ERRORS, sleeps::add);
  }

  @Test
  void connectionFailuresAreRetriedWithAPauseCappedAt250Ms() throws Exception {
    ReconnectingDataSource ds = failing(40, "08001"); // 40 failures: a long outage
    ds.startRetrying();
    assertThat(ds.getConnection()).isSameAs(CONNECTION);
    assertThat(attempts).hasValue(41);
    assertThat(sleeps).hasSize(40).startsWith(10L, 20L, 40L, 80L, 160L, 250L, 250L);
    assertThat(sleeps).allMatch(s -> s <= ReconnectingDataSource.MAX_BACKOFF_MILLIS);
  }

  @Test
  void serverStartingUpIsRetriedToo() throws Exception {
    ReconnectingDataSource ds = failing(3, "57P03"); // the database system is starting up
    ds.startRetrying();
    assertThat(ds.getConnection()).isSameAs(CONNECTION);
    assertThat(sleeps).hasSize(3);
  }

  @Test
  void beforeThePoolStartsAFailureIsReportedAtOnce() {
    ReconnectingDataSource ds = failing(1, "08001");
    assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void otherErrorsAreNotRetried() {
    ReconnectingDataSource ds = failing(1, "28P01"); // wrong password
    ds.startRetrying();
    assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("unavailable");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void closingStopsAnAttemptInProgress() {
    ReconnectingDataSource[] holder = new ReconnectingDataSource[1];
    ReconnectingDataSource ds = new ReconnectingDataSource(() -> {
      throw new SQLException("refused", "08001");
    }, ERRORS, millis -> {
      if (sleeps.size() == 2) {
        holder[0].close();
      }
      sleeps.add(millis);
    });
    holder[0] = ds;
    ds.startRetrying();
    assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class);
    assertThat(sleeps).hasSize(3);
    assertThat(ds.isRetrying()).isFalse();
  }
}
