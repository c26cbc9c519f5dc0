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
   * The engine offers a {@link ChangeFeed} ({@link Engine#changeFeed()}): committed changes in
   * commit order with versions and times, kept under retention holds (incremental backup).
   */
  CHANGE_FEED
}
