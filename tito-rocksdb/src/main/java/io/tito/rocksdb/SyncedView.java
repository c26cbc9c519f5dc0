package io.tito.rocksdb;

import org.rocksdb.Snapshot;

/**
 * A RocksDB snapshot holding exactly the commits up to {@code version}, all of them synced to
 * disk, shared by the transactions that begin while it is the engine's current view
 * ({@link Durability#GROUP}). Reference counted: the engine holds one reference while the view is
 * current, each transaction one while it lives; the last release frees the snapshot. Thread-safe.
 */
final class SyncedView {

  final long version;
  final Snapshot snapshot;
  private int refs = 1;

  SyncedView(long version, Snapshot snapshot) {
    this.version = version;
    this.snapshot = snapshot;
  }

  /** Takes a reference; false if the view was already freed (then read the current one again). */
  synchronized boolean acquire() {
    if (refs == 0) {
      return false;
    }
    refs++;
    return true;
  }

  /** Drops a reference; true if it was the last, and the caller must free the snapshot. */
  synchronized boolean release() {
    if (refs == 0) {
      throw new IllegalStateException("view released more often than acquired");
    }
    return --refs == 0;
  }
}
