package io.tito.rocksdb;

import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Lock;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * A lazy scan of {@code [begin, end)} of a snapshot: a RocksDB iterator bounded by iterate
 * lower/upper bounds, positioned on the first {@link #hasNext()} and advanced one row per call.
 * Its native objects are freed when it is exhausted or closed, when its transaction ends, or when
 * the engine closes, whichever comes first. Not thread-safe.
 */
final class RocksDbCursor implements KeyValueCursor {

  private final RocksDbEngine engine;
  private final RocksDbTransaction tx;
  private final boolean reverse;
  private final byte[] begin;
  private final Slice lower;
  private final Slice upper;
  private final ReadOptions readOptions;
  private final RocksIterator iterator;
  private boolean positioned;
  private boolean exhausted;
  private boolean closed;
  private boolean nativesFreed;
  private KeyValue next;

  /** Called with the guard's read side held. */
  RocksDbCursor(RocksDbEngine engine, RocksDbTransaction tx, Snapshot snapshot, byte[] begin, byte[] end,
      boolean reverse) {
    this.engine = engine;
    this.tx = tx;
    this.reverse = reverse;
    this.begin = begin;
    Slice lo = null;
    Slice hi = null;
    ReadOptions ro = null;
    try {
      lo = begin.length == 0 ? null : new Slice(begin);
      hi = new Slice(end);
      ro = new ReadOptions().setSnapshot(snapshot).setIterateUpperBound(hi);
      if (lo != null) {
        ro.setIterateLowerBound(lo);
      }
      this.iterator = engine.db().newIterator(ro);
    } catch (RuntimeException | Error e) {
      if (ro != null) {
        ro.close();
      }
      if (hi != null) {
        hi.close();
      }
      if (lo != null) {
        lo.close();
      }
      throw e;
    }
    this.lower = lo;
    this.upper = hi;
    this.readOptions = ro;
  }

  @Override
  public boolean hasNext() {
    if (closed) {
      return false;
    }
    if (engine.isClosed()) {
      throw engine.closedException();
    }
    if (next != null) {
      return true;
    }
    if (exhausted) {
      return false;
    }
    Lock l = engine.enter();
    try {
      if (!positioned) {
        positioned = true;
        if (reverse) {
          iterator.seekToLast();
        } else if (begin.length == 0) {
          iterator.seekToFirst();
        } else {
          iterator.seek(begin);
        }
      } else if (reverse) {
        iterator.prev();
      } else {
        iterator.next();
      }
      if (iterator.isValid()) {
        next = new KeyValue(iterator.key(), iterator.value());
        return true;
      }
      try {
        iterator.status();
      } catch (RocksDBException e) {
        throw engine.readFailure(e);
      }
      exhausted = true;
      tx.forget(this);
      freeNatives();
      return false;
    } finally {
      l.unlock();
    }
  }

  @Override
  public KeyValue next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    KeyValue kv = next;
    next = null;
    return kv;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    next = null;
    Lock l = engine.releaseLock();
    l.lock();
    try {
      if (!nativesFreed) {
        tx.forget(this);
        freeNatives();
      }
    } finally {
      l.unlock();
    }
  }

  /** Called with the guard held (either side). Idempotent. */
  void freeNatives() {
    if (nativesFreed) {
      return;
    }
    nativesFreed = true;
    iterator.close();
    readOptions.close();
    upper.close();
    if (lower != null) {
      lower.close();
    }
  }
}
