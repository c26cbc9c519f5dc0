package io.tito.rocksdb;

import io.tito.ByteArrays;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.spi.BufferedTransaction;
import io.tito.spi.SnapshotRegistry;
import io.tito.spi.WriteSet;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Lock;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;

/**
 * A transaction of {@link RocksDbEngine}: reads a RocksDB snapshot taken right after its sequencer
 * snapshot, or in {@link Durability#GROUP} the shared {@link SyncedView}, buffers writes (in {@link BufferedTransaction}) and commits them as one write batch.
 *
 * <p>Native objects (snapshot, read options, cursors) are touched by the owning thread under the
 * read side of the engine's guard, or by {@link RocksDbEngine#close()} under the write side, so
 * they are freed exactly once and never used after the database is closed. Not thread-safe.
 */
final class RocksDbTransaction extends BufferedTransaction {

  private final RocksDbEngine engine;
  /** The sequencer registration of a read-write transaction; null for read-only ones. */
  private final SnapshotRegistry.Registration writer;
  private final Snapshot snapshot;
  private final SyncedView view;
  private final ReadOptions readOptions;
  private final List<RocksDbCursor> cursors = new ArrayList<>();
  private boolean nativesFreed;

  /**
   * A transaction reading {@code snapshot}: its own (freed with the transaction) if {@code view} is
   * null, else the shared view's (released with the transaction). If this throws, the snapshot
   * or view reference has been given back.
   */
  RocksDbTransaction(RocksDbEngine engine, boolean readOnly, SnapshotRegistry.Registration writer,
      Snapshot snapshot, SyncedView view) {
    super(readOnly, engine.limits());
    this.engine = engine;
    this.writer = writer;
    this.snapshot = snapshot;
    this.view = view;
    ReadOptions ro;
    try {
      ro = engine.borrowReadOptions().setSnapshot(snapshot);
    } catch (RuntimeException | Error e) {
      giveBackSnapshot();
      throw e;
    }
    this.readOptions = ro;
  }

  private void giveBackSnapshot() {
    if (view == null) {
      engine.db().releaseSnapshot(snapshot);
    } else {
      engine.releaseView(view);
    }
  }

  @Override
  protected void checkUsable() {
    if (engine.isClosed()) {
      throw engine.closedException();
    }
    if (writer != null) {
      engine.checkAge(writer);
    }
  }

  @Override
  protected byte[] snapshotGet(byte[] key) {
    Lock l = engine.enter();
    try {
      return engine.db().get(readOptions, key);
    } catch (RocksDBException e) {
      throw engine.readFailure(e);
    } finally {
      l.unlock();
    }
  }

  /**
   * Asks the bloom filters first ({@code keyMayExist}: memtable and table filters, cached blocks,
   * no file reads): when they rule the key out, that is the answer of a full read in this
   * snapshot. Otherwise reads as {@link #snapshotGet}. RocksJava's point read signals an absent
   * key with a native exception, which costs about as much as the read itself: for keys usually
   * absent the filter check saves most of it (BENCHMARKS.md, issue 17 relaxed write).
   */
  @Override
  protected byte[] snapshotGetExpectingAbsent(byte[] key) {
    Lock l = engine.enter();
    try {
      if (!engine.db().keyMayExist(readOptions, key, null)) {
        return null;
      }
      return engine.db().get(readOptions, key);
    } catch (RocksDBException e) {
      throw engine.readFailure(e);
    } finally {
      l.unlock();
    }
  }

  /**
   * Up to this many keys are read with one native point read each: below it, RocksDB's multi-get
   * costs more per key in JNI set-up than it saves (the data layer's record-plus-header read is
   * two keys).
   */
  static final int POINT_READS_UP_TO = 4;

  @Override
  protected List<byte[]> snapshotGetAll(List<byte[]> keys) {
    Lock l = engine.enter();
    try {
      if (keys.size() <= POINT_READS_UP_TO) {
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
          out.add(engine.db().get(readOptions, key));
        }
        return out;
      }
      return engine.db().multiGetAsList(readOptions, keys);
    } catch (RocksDBException e) {
      throw engine.readFailure(e);
    } finally {
      l.unlock();
    }
  }

  /** As {@link #snapshotGetAll}, asking the bloom filters first for the usually absent keys. */
  @Override
  protected List<byte[]> snapshotGetAllExpectingAbsent(List<byte[]> keys, int usuallyAbsent) {
    Lock l = engine.enter();
    try {
      List<byte[]> out = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        byte[] key = keys.get(i);
        out.add(i < usuallyAbsent && !engine.db().keyMayExist(readOptions, key, null) ? null
            : engine.db().get(readOptions, key));
      }
      return out;
    } catch (RocksDBException e) {
      throw engine.readFailure(e);
    } finally {
      l.unlock();
    }
  }

  @Override
  protected KeyValueCursor snapshotScan(byte[] begin, byte[] end, boolean reverse, int limitHint) {
    Lock l = engine.enter();
    try {
      if (ByteArrays.compare(begin, end) >= 0) {
        return EmptyCursor.INSTANCE;
      }
      RocksDbCursor cursor = new RocksDbCursor(engine, this, snapshot, begin, end, reverse);
      cursors.add(cursor);
      return cursor;
    } finally {
      l.unlock();
    }
  }

  @Override
  protected boolean commitOrderedKeys() {
    return true;
  }

  @Override
  protected boolean sequencedAppends() {
    return true;
  }

  @Override
  protected void commitWrites(WriteSet writes) {
    engine.commit(writer, writes);
  }

  @Override
  protected void release() {
    Lock l = engine.releaseLock();
    l.lock();
    try {
      freeNatives();
    } finally {
      l.unlock();
    }
    engine.forget(this, writer);
  }

  /** Called with the guard held (either side). Idempotent. */
  void freeNatives() {
    if (nativesFreed) {
      return;
    }
    nativesFreed = true;
    for (RocksDbCursor c : cursors) {
      c.freeNatives();
    }
    cursors.clear();
    engine.returnReadOptions(readOptions);
    giveBackSnapshot();
  }

  /** Called by a cursor closing itself, with the guard held. */
  void forget(RocksDbCursor cursor) {
    cursors.remove(cursor);
  }

  /** The cursor of an empty range: holds nothing native. */
  private static final class EmptyCursor implements KeyValueCursor {
    static final EmptyCursor INSTANCE = new EmptyCursor();

    @Override
    public boolean hasNext() {
      return false;
    }

    @Override
    public KeyValue next() {
      throw new NoSuchElementException();
    }

    @Override
    public void close() {}
  }
}
