package io.tito.spi;

/**
 * Behaviours that differ between engines. Core code and the conformance kit ask for a capability
 * instead of special-casing an engine.
 */
public enum Capability {
  /** Committed data survives closing and reopening the engine (and a process crash). */
  DURABLE,
  /** Several processes may use the same store at once (server engines). */
  MULTI_PROCESS,
  /** Isolation stronger than snapshot isolation: read-write conflicts are detected too. */
  SERIALIZABLE,
  /** The engine can wake other processes when something is published (e.g. LISTEN/NOTIFY). */
  CHANGE_NOTIFICATIONS,
  /**
   * Commit-ordered keys: {@link EngineTransaction#setStamped} writes a key ending in a
   * {@link io.tito.Stamp} the engine fills in at commit, and {@link EngineTransaction#commitVersion}
   * tells its stamp version afterwards. What an engine must guarantee (proved by the conformance
   * kit):
   * <ul>
   *   <li>Stamp versions are unique, and every snapshot has a <em>stamp horizon</em> ({@link
   *       EngineTransaction#stampHorizon}, exclusive): the stamped keys below it that the snapshot
   *       holds are every stamped key below it that will ever exist (a transaction that commits
   *       later gets a stamp at or above it), and the horizon never goes backwards from one
   *       snapshot to a later one of the same kind (read-only or read-write), nor from a
   *       read-write snapshot to a later read-only one. A commit that begins after another
   *       stamped commit returned gets a higher stamp version. So a reader that reads stamped keys only below the horizon
   *       never later sees a new stamped key below one it has read.
   *   <li>A committed stamped transaction eventually falls below the horizon of new snapshots
   *       (unless something outside the engine holds it back, which the engine documents).
   *   <li>Stamp versions keep increasing across restarts of a durable engine.
   *   <li>{@link Engine#raiseStampFloor} puts every later commit's stamps above a given version
   *       (stamped keys restored or copied from elsewhere keep their stamps), monotonically and
   *       durably.
   *   <li>Stamped keys are unique, so writing them never makes transactions conflict.
   *   <li>A stamped write can take several consecutive orders ({@link
   *       EngineTransaction#setStamped(byte[], byte[], int)}): its key has the first, and the
   *       transaction's next stamped write the one after the last.
   * </ul>
   * An engine serialising commits (a commit lock, a version row) meets this by stamping its commit
   * version, which is in visibility order (a snapshot holding version {@code V} holds every commit
   * below {@code V}): its horizon is {@link io.tito.Stamp#MAX}. One committing in parallel stamps
   * a number whose completion a snapshot can bound (PostgreSQL: the writer's transaction id, with
   * the horizon at the snapshot's lowest transaction id still running), or hands versions out in
   * visibility order (FoundationDB's versionstamps, taken from the commit's position in the log).
   */
  COMMIT_ORDERED_KEYS,
  /**
   * The engine offers a {@link ChangeFeed} ({@link Engine#changeFeed()}): committed changes in
   * commit order with versions and times, kept under retention holds (incremental backup).
   */
  CHANGE_FEED,
  /**
   * Separate keyspaces beside the engine's own ({@link Engine#keyspace}, {@link
   * Engine#dropKeyspace}): each is an engine with the full contract, physically apart from the
   * others (on SQL servers, its own table set), sharing the parent's connections. Used for one
   * table set per tenant. A keyspace's engine does not declare this capability itself.
   */
  KEYSPACES,
  /**
   * Commits whose write sets are disjoint do not wait for each other: one commit held inside its
   * commit (after its conflict checks, before its writes become visible) does not keep another
   * commit on other keys from completing, so a server engine shares its log flushes between them.
   * Commits that need the store to themselves (range clears) may still wait; commits of stamped
   * keys ({@link #COMMIT_ORDERED_KEYS}) do not. Proved
   * by the conformance kit through the engine's test pause point inside commits.
   */
  PARALLEL_COMMITS,
  /**
   * {@link EngineTransaction#expect} in a write transaction does not read at once: the engine
   * judges it inside its commit, against the snapshot (PostgreSQL and MariaDB: in the commit's own
   * round trips),
   * so an expectation costs no round trip where a read would. Without it an expectation costs a
   * read, and a caller that keeps values only to expect them gains nothing (the event store then
   * remembers no stream headers by default). The kit checks that a declaring engine reports a
   * mismatch at commit, not at the call.
   */
  DEFERRED_EXPECTATIONS,
  /**
   * The engine can load sorted key/values into an empty store without transactions, through a
   * {@link BulkLoader} ({@link Engine#bulkLoader()}): the entries become visible all at once when
   * the loader finishes, and a loader that fails or is closed unfinished leaves the store empty
   * (restoring a full backup).
   */
  BULK_LOAD,
  /**
   * Sequenced appends: {@link EngineTransaction#appendSequenced} writes a value at the next
   * position of a counter key, a position the engine assigns at commit, while it holds what orders
   * the commits of that counter (a commit lock, the counter's key lock, a version row lock), from
   * the counter's latest committed value. What an engine must guarantee (proved by the conformance
   * kit):
   * <ul>
   *   <li>Positions per counter are dense, gap-free and in commit order: the commits that append
   *       to one counter take consecutive ranges of positions, in the order in which they become
   *       visible, so a snapshot holds a prefix of each counter's positions;
   *   <li>concurrent appenders to one counter never conflict with each other (they may wait);
   *   <li>the counter becomes a written key of each appending commit, so a transaction that
   *       read-modify-writes it conflicts with a concurrent append as with any write;
   *   <li>a transaction that does not commit uses no position.
   * </ul>
   * Engines without it keep read-modify-writing counters in the transaction (pub/sub's classic path).
   */
  COMMIT_SEQUENCED_APPENDS,
  /**
   * Relaxed durability per transaction: {@link EngineTransaction#relaxDurability} lets that one
   * transaction's commit return before its changes are durable (PostgreSQL: {@code SET LOCAL
   * synchronous_commit = off}, no wait for the WAL flush). What an engine must guarantee:
   * <ul>
   *   <li>the commit is atomic and visible as any other: conflicts, isolation, sequenced
   *       positions and stamps are unchanged, and other transactions see it once it returned;
   *   <li>a crash (or a failover) may lose it only whole, never in part, and then also loses
   *       every relaxed commit after it;
   *   <li>a later commit that is not relaxed and returned makes it durable too: the engine's log
   *       is one sequence, and a durable commit makes everything before it in the log durable,
   *       which includes every commit its transaction could see.
   * </ul>
   * Only transactions that ask for it are relaxed; the default of every transaction is unchanged.
   * Pub/sub asks it for the transactions that release scheduled events (see the design notes,
   * "Scheduled delivery: one read for the fence, the clock after the scan, releases that do not
   * wait for the WAL flush").
   */
  RELAXED_DURABILITY
}
