package io.tito.spi;

import io.tito.ByteArrays;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * Merges a snapshot scan with a transaction's pending writes (read-your-writes), applying the
 * scan limit to the merged result. The pending writes and cleared ranges of the scanned range are
 * copied when the cursor is created, so later writes by the same transaction do not disturb it.
 */
final class MergingCursor implements KeyValueCursor {

  private final KeyValueCursor snapshot;
  private final Iterator<Map.Entry<byte[], byte[]>> pending;
  private final TreeMap<byte[], byte[]> cleared;
  private final boolean reverse;
  private final int limit;
  private final Runnable onClose;
  private int returned;
  private Map.Entry<byte[], byte[]> nextPending;
  private KeyValue nextSnapshot;
  private KeyValue next;
  private boolean closed;

  MergingCursor(KeyValueCursor snapshot, WriteSet writes, byte[] begin, byte[] end,
      boolean reverse, int limit, Runnable onClose) {
    this.snapshot = snapshot;
    this.reverse = reverse;
    this.limit = limit;
    this.onClose = onClose;
    NavigableMap<byte[], byte[]> range = writes.points().subMap(begin, true, end, false);
    List<Map.Entry<byte[], byte[]>> copy = new ArrayList<>(range.size());
    for (Map.Entry<byte[], byte[]> e : (reverse ? range.descendingMap() : range).entrySet()) {
      copy.add(Map.entry(e.getKey(), e.getValue() == null ? WriteSetTombstone.VALUE : e.getValue()));
    }
    this.pending = copy.iterator();
    this.cleared = new TreeMap<>(ByteArrays.COMPARATOR);
    this.cleared.putAll(writes.clearedRangeMap());
    this.nextPending = pending.hasNext() ? pending.next() : null;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (closed || (limit > 0 && returned >= limit)) {
      return false;
    }
    next = advance();
    return next != null;
  }

  @Override
  public KeyValue next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    KeyValue kv = next;
    next = null;
    returned++;
    return kv;
  }

  private KeyValue advance() {
    while (true) {
      if (nextSnapshot == null) {
        nextSnapshot = nextVisibleSnapshotRow();
      }
      if (nextPending == null && nextSnapshot == null) {
        return null;
      }
      int order;
      if (nextPending == null) {
        order = 1;
      } else if (nextSnapshot == null) {
        order = -1;
      } else {
        order = ByteArrays.compare(nextPending.getKey(), nextSnapshot.key());
        if (reverse) {
          order = -order;
        }
      }
      if (order <= 0) {
        Map.Entry<byte[], byte[]> p = nextPending;
        nextPending = pending.hasNext() ? pending.next() : null;
        if (order == 0) {
          nextSnapshot = null;
        }
        if (p.getValue() != WriteSetTombstone.VALUE) {
          return new KeyValue(p.getKey().clone(), p.getValue().clone());
        }
      } else {
        KeyValue s = nextSnapshot;
        nextSnapshot = null;
        return s;
      }
    }
  }

  private KeyValue nextVisibleSnapshotRow() {
    while (snapshot.hasNext()) {
      KeyValue kv = snapshot.next();
      Map.Entry<byte[], byte[]> r = cleared.floorEntry(kv.key());
      if (r == null || ByteArrays.compare(kv.key(), r.getValue()) >= 0) {
        return kv;
      }
    }
    return null;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      next = null;
      try {
        snapshot.close();
      } finally {
        onClose.run();
      }
    }
  }

  /** Marks a pending clear in the copied entries (values may legitimately be empty arrays). */
  private static final class WriteSetTombstone {
    static final byte[] VALUE = new byte[0];
  }
}
