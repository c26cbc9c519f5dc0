package io.tito.rocksdb;

/**
 * When a commit of the RocksDB engine is durable, i.e. survives a crash of the machine (power
 * loss, kernel panic). Every mode survives a crash of the process: a commit is written to the
 * write-ahead log (WAL) in the operating system before {@code commit} returns; the modes differ
 * only in when that log is forced to the disk with {@code fsync}.
 *
 * <table>
 *   <caption>Guarantees by mode</caption>
 *   <tr><th>Mode</th><th>Process crash</th><th>Machine crash</th><th>fsyncs</th></tr>
 *   <tr><td>{@link #SYNC}</td><td>nothing lost</td><td>nothing lost</td><td>one per commit</td></tr>
 *   <tr><td>{@link #GROUP}</td><td>nothing lost</td><td>nothing lost</td><td>one per group of
 *       concurrent commits</td></tr>
 *   <tr><td>{@link #PERIODIC}</td><td>nothing lost</td><td>up to one sync interval lost</td>
 *       <td>one per interval with writes</td></tr>
 *   <tr><td>{@link #NONE}</td><td>nothing lost</td><td>anything not yet written back by the
 *       operating system lost</td><td>none</td></tr>
 * </table>
 *
 * <p>"Lost" always means a suffix of commits: RocksDB recovers the WAL to a consistent point in
 * time, so a commit is never half applied and a later commit never survives without an earlier
 * one. The default is {@link #GROUP}.
 */
public enum Durability {

  /**
   * Every commit forces the WAL to disk before it returns. Commits are serialised, so each one
   * pays a full {@code fsync}: the safest and the slowest mode under concurrency.
   */
  SYNC,

  /**
   * Durable when {@code commit} returns, like {@link #SYNC}, but concurrent commits share one
   * {@code fsync}: a commit writes the WAL without syncing, releases the commit lock, and waits
   * until the WAL is synced past its write. The first waiter syncs itself, on its own thread, for
   * every commit written so far (leader/follower group commit); the commits arriving while that
   * sync runs queue up and are covered together by the next one, so N concurrent committers pay
   * about one {@code fsync}. A single committer pays the same as {@link #SYNC}.
   * Other transactions never read a commit before it is synced: they read the view of the last
   * successful sync (a snapshot of exactly the commits it covered), so {@code begin} never waits
   * for a sync. The default.
   */
  GROUP,

  /**
   * {@code commit} returns once the write is in the WAL in the operating system, without waiting
   * for the disk; a background thread syncs the WAL every {@linkplain RocksDbOptions#syncInterval()
   * sync interval} when something was written. A process crash loses nothing; a machine crash can
   * lose the commits of the last interval. Closing the engine syncs.
   */
  PERIODIC,

  /**
   * Never {@code fsync} (except as RocksDB itself does on a clean close). A process crash loses
   * nothing, because the WAL is written to the operating system on every commit; a power loss can
   * lose whatever the operating system had not written back yet. For caches, tests and data that
   * can be rebuilt.
   */
  NONE
}
