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
 * snapshot, or in {@link Durability#GROUP} the shared {@link SyncedView}, or (read-only, other
 * durabilities) the shared read view, buffers writes (in {@link BufferedTransaction}) and commits them as one write batch.
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
  private final long sequence;
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
    if (view != null && view.isReadView()) {
      // The read view's options and sequence, shared with the other transactions of the view.
      this.readOptions = view.readOptions;
      this.sequence = view.version;
      return;
    }
    ReadOptions ro;
    try {
      ro = engine.borrowReadOptions().setSnapshot(snapshot);
    } catch (RuntimeException | Error e) {
      giveBackSnapshot();
      throw e;
    }
    this.readOptions = ro;
    // Taken while the snapshot is surely alive; -1 when there is no row cache to consult.
    this.sequence = engine.rowCache() == null ? -1 : snapshot.getSequenceNumber();
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

  /** The row cache's answer for {@code key} in this snapshot, or null (read RocksDB). */
  private byte[] cached(byte[] key) {
    RowCache rows = engine.rowCache();
    if (rows == null) {
      return null;
    }
    if (engine.isClosed()) {
      throw engine.closedException();
    }
    return rows.get(key, sequence);
  }

  @Override
  protected byte[] snapshotGet(byte[] key) {
    byte[] hit = cached(key);
    if (hit != null) {
      return hit;
    }
    Lock l = engine.enter();
    try {
      byte[] value = engine.db().get(readOptions, key);
      if (value != null && engine.rowCache() != null) {
        engine.rowCache().add(key, value, sequence, engine.db()::getLatestSequenceNumber);
      }
      return value;
    } catch (RocksDBException e) {
      throw engine.readFailure(e);
    } finally {
      l.unlock();
    }
  }

  /**
   * Answers from the row cache if it holds the key; else asks the bloom filters first ({@code
   * keyMayExist}: memtable and table filters, cached blocks, no file reads): when they rule the key
   * out, that is the answer of a full read in this snapshot. Otherwise reads as {@link
   * #snapshotGet}. RocksJava's point read signals an absent key with a native exception, which
   * costs about as much as the read itself: for keys usually absent the filter check saves most of
   * it (BENCHMARKS.md, issue 17 relaxed write).
   */
  @Override
  protected byte[] snapshotGetExpectingAbsent(byte[] key) {
    byte[] hit = cached(key);
    if (hit != null) {
      return hit;
    }
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
    return readAll(keys, 0);
  }

  /** As {@link #snapshotGetAll}, asking the bloom filters first for the usually absent keys. */
  @Override
  protected List<byte[]> snapshotGetAllExpectingAbsent(List<byte[]> keys, int usuallyAbsent) {
    return readAll(keys, usuallyAbsent);
  }

  /**
   * Reads {@code keys}: each from the row cache if it holds it, the rest from RocksDB (one point
   * read each up to {@link #POINT_READS_UP_TO} keys, else one multi-get; the first {@code
   * usuallyAbsent} keys after a bloom filter check), then caches the present values read.
   */
  private List<byte[]> readAll(List<byte[]> keys, int usuallyAbsent) {
    int n = keys.size();
    List<byte[]> out = new ArrayList<>(n);
    List<byte[]> missing = null;
    boolean[] miss = null;
    RowCache rows = engine.rowCache();
    if (rows != null) {
      if (engine.isClosed()) {
        throw engine.closedException();
      }
      long seq = sequence;
      for (int i = 0; i < n; i++) {
        byte[] hit = rows.get(keys.get(i), seq);
        out.add(hit);
        if (hit == null) {
          if (miss == null) {
            miss = new boolean[n];
            missing = new ArrayList<>(n - i);
          }
          miss[i] = true;
          missing.add(keys.get(i));
        }
      }
      if (miss == null) {
        return out;
      }
    }
    Lock l = engine.enter();
    try {
      if (rows == null) {
        return readNative(keys, usuallyAbsent, null);
      }
      List<byte[]> read = readNative(missing, usuallyAbsent, miss);
      for (int i = 0, j = 0; i < n; i++) {
        if (miss[i]) {
          out.set(i, read.get(j++));
        }
      }
      boolean[] wanted = new boolean[n];
      for (int i = usuallyAbsent; i < n; i++) {
        wanted[i] = miss[i];
      }
      rows.addAll(keys, out, wanted, sequence, engine.db()::getLatestSequenceNumber);
      return out;
    } catch (RocksDBException e) {
      throw engine.readFailure(e);
    } finally {
      l.unlock();
    }
  }

  /**
   * Reads {@code keys} from RocksDB; a key is checked against the bloom filters first when its
   * index in the whole request ({@code inRequest}, null when {@code keys} is the whole request)
   * is below {@code usuallyAbsent}.
   */
  private List<byte[]> readNative(List<byte[]> keys, int usuallyAbsent, boolean[] inRequest)
      throws RocksDBException {
    if (usuallyAbsent == 0 && keys.size() > POINT_READS_UP_TO) {
      return engine.db().multiGetAsList(readOptions, keys);
    }
    List<byte[]> out = new ArrayList<>(keys.size());
    int index = 0;
    for (byte[] key : keys) {
      if (inRequest != null) {
        while (!inRequest[index]) {
          index++;
        }
      }
      boolean check = index < usuallyAbsent;
      index++;
      out.add(check && !engine.db().keyMayExist(readOptions, key, null) ? null
          : engine.db().get(readOptions, key));
    }
    return out;
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
    if (view == null || !view.isReadView()) {
      engine.returnReadOptions(readOptions);
    }
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
