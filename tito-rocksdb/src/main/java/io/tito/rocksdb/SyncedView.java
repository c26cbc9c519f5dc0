package io.tito.rocksdb;

import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.ReadOptions;
import org.rocksdb.Snapshot;

/**
 * A RocksDB snapshot shared by the transactions that begin while it is the engine's current view.
 * Two kinds: in {@link Durability#GROUP}, the snapshot holding exactly the commits up to the
 * sequencer version {@code version}, all of them synced to disk; in the other durabilities, a
 * <em>read view</em> of read-only transactions, whose {@code version} is the snapshot's RocksDB
 * sequence number and which is current while no write has raised RocksDB's latest sequence since
 * it was taken, and which carries read options set to its snapshot, shared by its transactions'
 * point reads (RocksDB only reads them). Reference counted: the engine holds one reference while
 * the view is current, each transaction one while it lives; the last release frees the snapshot
 * (and the read options). Thread-safe and lock-free (every transaction begin and end passes here,
 * so it takes no monitor).
 */
final class SyncedView {

  final long version;
  final Snapshot snapshot;
  /** A read view's read options, set to {@link #snapshot}; null for a synced view. */
  final ReadOptions readOptions;
  private final AtomicInteger refs = new AtomicInteger(1);

  SyncedView(long version, Snapshot snapshot) {
    this(version, snapshot, null);
  }

  SyncedView(long version, Snapshot snapshot, ReadOptions readOptions) {
    this.version = version;
    this.snapshot = snapshot;
    this.readOptions = readOptions;
  }

  /** A read view: {@code version} is the snapshot's sequence number. */
  boolean isReadView() {
    return readOptions != null;
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
