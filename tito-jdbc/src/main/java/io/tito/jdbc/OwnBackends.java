package io.tito.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL backend process ids of this engine's pooled connections that sent
 * notifications, so that the listener can skip the engine's own notifications ({@link
 * io.tito.spi.Engine#listen} reports commits of <em>other</em> processes; this process wakes its
 * own workers after commit). Notifications are hints: if a backend id is later reused by another
 * process, or the set is reset when it grows past {@value #MAX}, at most a wake-up is lost or
 * repeated, and polling still finds every change. Thread-safe.
 */
final class OwnBackends {

  static final int MAX = 1024;

  private final Set<Integer> pids = ConcurrentHashMap.newKeySet();

  /** Records the backend of {@code c}, which is about to send a notification. */
  void record(Connection c) throws SQLException {
    if (!c.isWrapperFor(PGConnection.class)) {
      return;
    }
    int pid = c.unwrap(PGConnection.class).getBackendPID();
    if (pids.add(pid) && pids.size() > MAX) {
      pids.clear();
      pids.add(pid);
    }
  }

  boolean contains(int pid) {
    return pids.contains(pid);
  }
}
