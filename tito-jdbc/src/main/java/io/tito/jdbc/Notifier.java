package io.tito.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the notifications of an engine's commits (PostgreSQL), coalesced, from one connection of
 * its own. A commit that notified hands its payloads over once it has committed and returns;
 * one daemon thread sends everything handed over since its last send in one short transaction
 * ({@code synchronous_commit} off, one round trip), so concurrent commits share one notification
 * transaction and the same payload handed over by several of them is sent once.
 *
 * <p>Why: a transaction that notified takes PostgreSQL's cluster-wide notification lock at commit
 * ({@code PreCommit_Notify}); with one notification transaction per commit, concurrent committers
 * queued on it ({@code Lock:object}). Now at most one of this engine's backends holds it at a
 * time, and no commit waits for it. Notifications stay hints: sent only after the commit
 * succeeded, lost on a crash or a failed send (logged; listeners poll), and a listener woken once
 * sees every commit handed over before that send. Thread-safe.
 */
final class Notifier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  /** Opens the notifier's connection. */
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;
  private final Statements sql;
  private final OwnBackends ownBackends;
  private final Object lock = new Object();
  private final Set<String> pending = new LinkedHashSet<>();
  private final AtomicLong transactions = new AtomicLong();
  private volatile boolean failForTest;
  private boolean closed;
  private boolean sending;
  private Thread thread;
  private Connection connection;

  Notifier(Connector connector, Statements sql, OwnBackends ownBackends) {
    this.connector = connector;
    this.sql = sql;
    this.ownBackends = ownBackends;
  }

  /** Hands over the payloads of a commit that succeeded; returns at once. */
  void send(Collection<String> payloads) {
    if (payloads.isEmpty()) {
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      pending.addAll(payloads);
      if (thread == null) {
        thread = Thread.ofPlatform().daemon().name("tito-notify-" + sql.channel).start(this::run);
      }
      lock.notifyAll();
    }
  }

  /** For tests: makes the notification transactions fail on the server (an empty channel name). */
  void failForTest(boolean fail) {
    failForTest = fail;
  }

  /** Notification transactions sent so far (for tests). */
  long transactions() {
    return transactions.get();
  }

  /** For tests: waits until everything handed over has been sent (or given up). */
  void awaitIdle() throws InterruptedException {
    synchronized (lock) {
      while (!closed && (sending || !pending.isEmpty())) {
        lock.wait();
      }
    }
  }

  private void run() {
    while (true) {
      List<String> batch;
      synchronized (lock) {
        while (pending.isEmpty() && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            if (closed) {
              break;
            }
          }
        }
        if (pending.isEmpty()) {
          closeConnection();
          return;
        }
        batch = new ArrayList<>(pending);
        pending.clear();
        sending = true;
      }
      try {
        sendNow(batch);
      } finally {
        synchronized (lock) {
          sending = false;
          lock.notifyAll();
        }
      }
    }
  }

  private void sendNow(List<String> batch) {
    try {
      if (connection == null) {
        connection = connector.connect();
        connection.setAutoCommit(false);
        ownBackends.record(connection);
      }
      try (PreparedStatement ps = connection.prepareStatement(sql.notifyCoalesced)) {
        ps.setString(1, failForTest ? "" : sql.channel);
        ps.setArray(2, connection.createArrayOf("text", batch.toArray(String[]::new)));
        ps.execute();
      }
      connection.commit();
      transactions.incrementAndGet();
    } catch (SQLException | RuntimeException e) {
      LOG.warn("notifying {} failed; listeners will find the changes by polling", sql.channel, e);
      closeConnection();
    }
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing the notification connection failed", e);
      }
    }
  }

  /** Stops the thread once what was handed over is sent. */
  @Override
  public void close() {
    Thread t;
    synchronized (lock) {
      closed = true;
      t = thread;
      lock.notifyAll();
    }
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
