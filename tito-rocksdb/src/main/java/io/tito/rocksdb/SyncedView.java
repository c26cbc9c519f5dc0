package io.tito.rocksdb;

import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.Snapshot;

/**
 * A RocksDB snapshot holding exactly the commits up to {@code version}, all of them synced to
 * disk, shared by the transactions that begin while it is the engine's current view
 * ({@link Durability#GROUP}). Reference counted: the engine holds one reference while the view is
 * current, each transaction one while it lives; the last release frees the snapshot. Thread-safe
 * and lock-free (every transaction begin and end passes here, so it takes no monitor).
 */
final class SyncedView {

  final long version;
  final Snapshot snapshot;
  private final AtomicInteger refs = new AtomicInteger(1);

  SyncedView(long version, Snapshot snapshot) {
    this.version = version;
    this.snapshot = snapshot;
  }

  /** Takes a reference; false if the view was already freed (then read the current one again). */
  boolean acquire() {
    for (int n = refs.get(); n != 0; n = refs.get()) {
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Drops a reference; true if it was the last, and the caller must free the snapshot. */
  boolean release() {
    for (int n = refs.get(); ; n = refs.get()) {
      if (n == 0) {
        throw new IllegalStateException("view released more often than acquired");
      }
      if (refs.compareAndSet(n, n - 1)) {
        return n == 1;
      }
    }
  }
}
