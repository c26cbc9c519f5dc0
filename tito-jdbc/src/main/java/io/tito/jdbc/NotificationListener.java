package io.tito.jdbc;

import io.tito.Backoff;
import io.tito.spi.ChangeListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL LISTEN on a dedicated connection (outside the pool), polled by one daemon thread.
 * The store has one database channel (its table name); the NOTIFY payload is the Tito channel,
 * which selects the listeners to call, optionally followed by a colon and the transaction's own
 * payload, which the listeners get. Notifications sent by this engine's own connections are
 * skipped ({@link OwnBackends}). Listeners hear {@code listening(true)} while the connection
 * listens and {@code listening(false)} when it is lost; after a reconnect (with backoff) every
 * listener is also called once without payload, since notifications may have been missed.
 * Thread-safe.
 */
final class NotificationListener implements AutoCloseable {

  /** Opens a new, unpooled connection. */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
  private static final int POLL_MILLIS = 500;
  /** Between reconnects: 100 ms doubling to 500 ms, no jitter (one listener thread). */
  private static final Backoff RECONNECT = Backoff.of(Duration.ofMillis(100), Duration.ofMillis(500),
      Backoff.Jitter.NONE);
  private static final long READY_WAIT_MILLIS = 5_000;

  private final Connector connector;
  private final String listenSql;
  private final String name;
  private final Map<String, List<ChangeListener>> listeners = new ConcurrentHashMap<>();
  /** Guards {@link #up}, {@link #thread} and the closed transition (a lock, not a monitor). */
  private final ReentrantLock state = new ReentrantLock();
  /** Whether the connection listens now; changed, and reported to listeners, under {@link #state}. */
  private boolean up;
  private final CountDownLatch listening = new CountDownLatch(1);
  private Thread thread;
  private volatile Connection connection;
  private volatile boolean closed;

  private final OwnBackends ownBackends;
  private final Statements sql;

  NotificationListener(Connector connector, Statements sql, OwnBackends ownBackends) {
    this.connector = connector;
    this.ownBackends = ownBackends;
    this.sql = sql;
    this.listenSql = "LISTEN " + sql.dialect.quote(sql.channel);
    this.name = sql.channel;
  }

  /**
   * Registers a listener; starts the polling thread on first use and waits (up to 5 s) until it
   * listens, so that commits after this returns are seen while the connection holds.
   */
  AutoCloseable add(String channel, ChangeListener listener) {
    state.lock();
    try {
      listeners.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>()).add(listener);
      if (thread == null && !closed) {
        thread = Thread.ofPlatform().daemon().name("tito-jdbc-listen-" + name).start(this::loop);
      }
      if (up) {
        healthy(listener, true);
      }
    } finally {
      state.unlock();
    }
    try {
      if (!listening.await(READY_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        LOG.warn("not yet listening for notifications on {}; polling still finds every change", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return () -> {
      List<ChangeListener> list = listeners.get(channel);
      if (list != null) {
        list.remove(listener);
      }
    };
  }

  private void loop() {
    int failures = 0;
    boolean missed = false;
    while (!closed) {
      try (Connection c = connector.connect()) {
        connection = c;
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute(listenSql);
        }
        // Registered only once listening, and before anyone is told it listens (see
        // ListenerRegistry): commits then notify this engine whenever another one commits.
        ListenerRegistry.register(c, sql);
        sweep(c);
        long nextSweep = System.nanoTime() + ListenerRegistry.SWEEP_MILLIS * 1_000_000;
        failures = 0;
        setUp(true);
        listening.countDown();
        if (missed) {
          listeners.values().forEach(list -> list.forEach(l -> call(l, null)));
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          if (System.nanoTime() - nextSweep >= 0) {
            sweep(c);
            ListenerRegistry.register(c, sql); // in case the row went (a truncated table)
            nextSweep = System.nanoTime() + ListenerRegistry.SWEEP_MILLIS * 1_000_000;
          }
          PGNotification[] received = pg.getNotifications(POLL_MILLIS);
          if (received != null) {
            for (PGNotification n : received) {
              if (ownBackends.contains(n.getPID())) {
                continue; // this engine's own commit: its process woke itself after commit
              }
              deliver(n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        setUp(false);
        if (closed) {
          return;
        }
        missed = true;
        long backoff = RECONNECT.delayNanos(++failures) / 1_000_000;
        LOG.warn("listening for notifications on {} failed; reconnecting in {} ms: {}", name, backoff,
            String.valueOf(e));
        LOG.debug("listening for notifications failed", e);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
      } finally {
        connection = null;
      }
    }
  }

  /**
   * Sweeps the registry on the listening connection. A failure is logged: it only leaves rows of
   * ended backends (notifications nobody hears) or an older version's listener unregistered until
   * the next sweep; a lost connection shows at the next poll.
   */
  private void sweep(Connection c) {
    try {
      ListenerRegistry.sweep(c, sql);
    } catch (SQLException e) {
      LOG.warn("could not sweep the listener registry of {}: {}", name, String.valueOf(e));
    }
  }

  /** Calls the listeners of the text's channel ({@code channel} or {@code channel:payload}). */
  private void deliver(String text) {
    int colon = text.indexOf(':');
    List<ChangeListener> list = listeners.get(colon < 0 ? text : text.substring(0, colon));
    if (list != null) {
      String payload = colon < 0 ? null : text.substring(colon + 1);
      list.forEach(l -> call(l, payload));
    }
  }

  private void setUp(boolean value) {
    state.lock();
    try {
      if (up == value) {
        return;
      }
      up = value;
      listeners.values().forEach(list -> list.forEach(l -> healthy(l, value)));
    } finally {
      state.unlock();
    }
  }

  private void healthy(ChangeListener listener, boolean value) {
    try {
      listener.listening(value);
    } catch (RuntimeException e) {
      LOG.warn("a notification listener of {} threw", name, e);
    }
  }

  private void call(ChangeListener listener, String payload) {
    try {
      listener.changed(payload);
    } catch (RuntimeException e) {
      LOG.warn("a notification listener of {} threw", name, e);
    }
  }

  @Override
  public void close() {
    Thread t;
    state.lock();
    try {
      closed = true;
      t = thread;
    } finally {
      state.unlock();
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
