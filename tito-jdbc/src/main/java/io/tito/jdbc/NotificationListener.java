package io.tito.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL LISTEN on a dedicated connection (outside the pool), polled by one daemon thread.
 * The store has one database channel (its table name); the payload is the Tito channel, which
 * selects the listeners to call. Notifications sent by this engine's own connections are skipped
 * ({@link OwnBackends}). After a lost connection the thread reconnects with backoff and
 * then calls every listener once, since notifications may have been missed. Thread-safe.
 */
final class NotificationListener implements AutoCloseable {

  /** Opens a new, unpooled connection. */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
  private static final int POLL_MILLIS = 500;
  private static final long MAX_BACKOFF_MILLIS = 500;
  private static final long READY_WAIT_MILLIS = 5_000;

  private final Connector connector;
  private final String listenSql;
  private final String name;
  private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
  private final CountDownLatch listening = new CountDownLatch(1);
  private Thread thread;
  private volatile Connection connection;
  private volatile boolean closed;

  private final OwnBackends ownBackends;

  NotificationListener(Connector connector, Statements sql, OwnBackends ownBackends) {
    this.connector = connector;
    this.ownBackends = ownBackends;
    this.listenSql = "LISTEN " + sql.dialect.quote(sql.channel);
    this.name = sql.channel;
  }

  /**
   * Registers a listener; starts the polling thread on first use and waits (up to 5 s) until it
   * listens, so that commits after this returns are seen while the connection holds.
   */
  AutoCloseable add(String channel, Runnable listener) {
    synchronized (this) {
      listeners.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(listener);
      if (thread == null && !closed) {
        thread = Thread.ofPlatform().daemon().name("tito-jdbc-listen-" + name).start(this::loop);
      }
    }
    try {
      if (!listening.await(READY_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        LOG.warn("not yet listening for notifications on {}; polling still finds every change", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return () -> {
      List<Runnable> list = listeners.get(channel);
      if (list != null) {
        list.remove(listener);
      }
    };
  }

  private void loop() {
    long backoff = 100;
    boolean missed = false;
    while (!closed) {
      try (Connection c = connector.connect()) {
        connection = c;
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute(listenSql);
        }
        backoff = 100;
        listening.countDown();
        if (missed) {
          listeners.values().forEach(list -> list.forEach(this::call));
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] received = pg.getNotifications(POLL_MILLIS);
          if (received != null) {
            for (PGNotification n : received) {
              if (ownBackends.contains(n.getPID())) {
                continue; // this engine's own commit: its process woke itself after commit
              }
              List<Runnable> list = listeners.get(n.getParameter());
              if (list != null) {
                list.forEach(this::call);
              }
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        missed = true;
        LOG.warn("listening for notifications on {} failed; reconnecting in {} ms: {}", name, backoff,
            String.valueOf(e));
        LOG.debug("listening for notifications failed", e);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      } finally {
        connection = null;
      }
    }
  }

  private void call(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException e) {
      LOG.warn("a notification listener of {} threw", name, e);
    }
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      Connection c = connection;
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // closing anyway
        }
      }
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
