package io.tito.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * PostgreSQL's registry of the engines that listen for a store's notifications: one row per
 * listening connection (its backend's pid and its engine's id) in the table {@code
 * <channel>_listeners}. A commit's notifications are sent only if a row of another engine exists
 * ({@link Statements#othersListen}, read by the notifications' statement after the data commit),
 * so an engine that is the store's only listener does not notify itself: its process wakes its
 * own workers after commit, and its listener used to receive and drop every one of them.
 *
 * <p>Why no wake-up is lost. A listening connection runs {@code LISTEN}, then registers, and only
 * then does its engine report that it listens (after which its workers read). A commit whose
 * changes such a read missed became visible after the read began, so after the registration
 * committed; its notifications' statement starts after the data commit and sees the row, and
 * the listener, listening since before, receives them.
 *
 * <p>Rows of ended backends are deleted by {@link #sweep}, run when an engine opens and by every
 * listening connection when it connects and every {@link #SWEEP_MILLIS} ms: until then a
 * departed listener only costs notifications nobody hears. The sweep also registers, on their
 * behalf, listeners of versions before this registry (their last statement is the {@code LISTEN}
 * of the channel), and backends whose statements the role may not see, which could be such
 * listeners: they are notified as before. Stateless: each call uses only the connection it is
 * given, which must be in auto-commit mode and not used by another thread meanwhile.
 */
final class ListenerRegistry {

  /** Between two sweeps of one listening connection. */
  static final long SWEEP_MILLIS = 30_000;

  private ListenerRegistry() {}

  /** A new engine's id in the registry: 16 hex digits. */
  static String newId() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** Registers {@code listening} (auto-commit, after its {@code LISTEN}) as this engine's. */
  static void register(Connection listening, Statements sql) throws SQLException {
    try (Statement st = listening.createStatement()) {
      st.execute(sql.registerListener);
    }
  }

  /** Deletes rows of ended backends and registers listeners of older versions (auto-commit). */
  static void sweep(Connection c, Statements sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql.sweepListeners);
      while (st.getMoreResults() || st.getUpdateCount() != -1) {
        // drain both statements' outcomes
      }
    }
  }
}
