package io.tito.spi;

import java.util.Set;

/**
 * An ordered, transactional key-value store: what every Tito engine implements.
 *
 * <p>Contract (proved by the conformance kit in {@code tito-testkit}):
 * <ul>
 *   <li>Keys are ordered as unsigned bytes (memcmp).
 *   <li>Each transaction reads one consistent snapshot, and sees its own writes, also in scans.
 *   <li>First committer wins: if another transaction committed a write to a key this one writes
 *       (set, clear, or inside a cleared range) after this one's snapshot, {@code commit} throws
 *       {@link io.tito.ConflictException} and applies nothing.
 *   <li>Commit is atomic; a commit whose outcome cannot be known throws
 *       {@link io.tito.CommitUnknownException}.
 *   <li>Sizes are checked against {@link #limits()} before anything is written.
 * </ul>
 *
 * <p>Thread-safe: any number of threads may begin transactions concurrently. After {@link #close()}
 * every call throws {@link io.tito.ClosedException}.
 */
public interface Engine extends AutoCloseable {

  /** A short stable name, e.g. {@code memory}, {@code rocksdb}, {@code postgresql}. */
  String name();

  /** What this engine can do beyond the base contract. */
  Set<Capability> capabilities();

  /** Sizes this engine accepts. */
  EngineLimits limits();

  /**
   * Starts a transaction at a fresh snapshot.
   *
   * @param readOnly a read-only transaction rejects writes and is cheaper: it never conflicts
   * @throws io.tito.ClosedException if the engine is closed
   * @throws io.tito.StorageException if the engine cannot start one
   */
  EngineTransaction begin(boolean readOnly);

  /**
   * Reads {@code reads} (checked with {@link io.tito.RangeRead#checkAll}) in one fresh snapshot of
   * committed data,
   * outside any transaction: what a read-only transaction's {@link EngineTransaction#scanAll}
   * followed by its end would answer. A server engine may send it as one statement in one round
   * trip, with no transaction to begin or end. The default begins a read-only transaction, scans
   * and ends it, so a decorating engine (one that rewrites keys, injects faults or counts) that
   * does not override it stays right.
   *
   * @throws io.tito.InvalidArgumentException as {@link io.tito.RangeRead#checkAll}
   * @throws io.tito.ClosedException if the engine is closed
   * @throws io.tito.StorageException if the engine cannot read
   */
  default java.util.List<java.util.List<io.tito.KeyValue>> readOnce(
      java.util.List<io.tito.RangeRead> reads) {
    io.tito.RangeRead.checkAll(reads);
    try (EngineTransaction tx = begin(true)) {
      java.util.List<java.util.List<io.tito.KeyValue>> rows = tx.scanAll(reads);
      tx.commit();
      return rows;
    }
  }

  /**
   * Calls {@code listener} (on an engine thread; it must return quickly) whenever another process
   * commits a transaction that asked to {@linkplain EngineTransaction#notifyOnCommit notify}
   * {@code channel}, with that transaction's payload, and tells it through {@link
   * ChangeListener#listening} whether notifications currently arrive reliably. Only engines with
   * {@link Capability#CHANGE_NOTIFICATIONS} ever call back; for the others this returns a
   * subscription that does nothing. Notifications are hints to wake up early: they may be lost,
   * so callers keep polling, if rarely, as the source of truth.
   *
   * @param channel a short name of letters, digits and underscores
   * @return closing it stops the calls
   */
  default AutoCloseable listen(String channel, ChangeListener listener) {
    return () -> {};
  }

  /**
   * The engine's feed of committed changes, for engines with {@link Capability#CHANGE_FEED}.
   * The default (engines without it) throws.
   *
   * @throws io.tito.InvalidArgumentException if the engine does not declare
   *     {@link Capability#CHANGE_FEED}
   */
  default ChangeFeed changeFeed() {
    throw new io.tito.InvalidArgumentException("engine has no change feed",
        java.util.Map.of("engine", name(), "capability", Capability.CHANGE_FEED));
  }

  /**
   * Opens keyspace {@code name}, creating it if absent (idempotent, safe when several processes
   * do it at once): a separate ordered key space with this engine's whole contract, holding none
   * of this engine's keys, for engines with {@link Capability#KEYSPACES}. Each call returns a new
   * engine on the keyspace, sharing this engine's resources (connections, pools): close it when
   * done (that releases only its own); closing this engine closes those still open. The default
   * (engines without the capability) throws.
   *
   * @param name 1 to 24 lower-case letters, digits or underscores
   * @throws io.tito.InvalidArgumentException if the engine lacks {@link Capability#KEYSPACES} or
   *     the name is invalid
   * @throws io.tito.StorageException if the keyspace cannot be created
   */
  default Engine keyspace(String name) {
    throw new io.tito.InvalidArgumentException("engine has no separate keyspaces",
        java.util.Map.of("engine", name(), "capability", Capability.KEYSPACES));
  }

  /**
   * Deletes keyspace {@code name} and every key in it (nothing if it does not exist); an engine
   * of it opened in this process is closed first. Other processes must have closed theirs.
   *
   * @throws io.tito.InvalidArgumentException if the engine lacks {@link Capability#KEYSPACES} or
   *     the name is invalid
   * @throws io.tito.StorageException if it cannot be deleted
   */
  default void dropKeyspace(String name) {
    throw new io.tito.InvalidArgumentException("engine has no separate keyspaces",
        java.util.Map.of("engine", name(), "capability", Capability.KEYSPACES));
  }

  /**
   * Starts loading sorted key/values into this store, which must be empty, for engines with
   * {@link Capability#BULK_LOAD}. The default (engines without it) throws.
   *
   * @throws io.tito.InvalidArgumentException if the engine does not declare
   *     {@link Capability#BULK_LOAD}, or the store is not empty
   * @throws io.tito.ClosedException if the engine is closed
   */
  default BulkLoader bulkLoader() {
    throw new io.tito.InvalidArgumentException("engine cannot bulk load",
        java.util.Map.of("engine", name(), "capability", Capability.BULK_LOAD));
  }

  /**
   * Raises the stamp floor, for engines with {@link Capability#COMMIT_ORDERED_KEYS}: every
   * transaction with {@linkplain EngineTransaction#setStamped stamped keys} whose commit begins
   * after this call returned gets a stamp version above {@code version}, in this process and,
   * for shared stores, in every other. Callers use it when a store received
   * stamped keys it did not stamp itself (a restore from a backup, a copy of another store, keys
   * moved from another engine or server, whose stamps may be above the ones this engine would
   * give next), so that new stamps sort after them.
   *
   * <p>Monotonic and idempotent: a floor at or below the current one changes nothing (and is
   * cheap: no lock that commits wait for when nothing has to change); concurrent callers are safe.
   * Durable engines keep the floor across restarts. Stamps stay unique and final below every
   * snapshot's {@linkplain EngineTransaction#stampHorizon stamp horizon}; stamp versions skip the
   * numbers up to the floor. Engines without the capability have no stamps: the default does
   * nothing for them, and throws for an engine that declares the capability without
   * implementing this.
   *
   * @param version a stamp version ({@link io.tito.Stamp#commitVersion()}), from 0 to {@link
   *     CommitSequencer#MAX_STAMP_FLOOR}
   * @throws io.tito.InvalidArgumentException if {@code version} is out of range, or the engine
   *     declares {@link Capability#COMMIT_ORDERED_KEYS} and does not implement this
   * @throws io.tito.ClosedException if the engine is closed
   * @throws io.tito.StorageException if the floor cannot be stored
   */
  default void raiseStampFloor(long version) {
    if (version < 0 || version > CommitSequencer.MAX_STAMP_FLOOR) {
      throw new io.tito.InvalidArgumentException("stamp floor out of range",
          java.util.Map.of("version", version, "max", CommitSequencer.MAX_STAMP_FLOOR));
    }
    if (capabilities().contains(Capability.COMMIT_ORDERED_KEYS)) {
      throw new io.tito.InvalidArgumentException("engine cannot raise its stamp floor",
          java.util.Map.of("engine", name(), "capability", Capability.COMMIT_ORDERED_KEYS));
    }
  }

  /**
   * Releases every resource. Transactions still open fail on their next call. Idempotent.
   */
  @Override
  void close();
}
