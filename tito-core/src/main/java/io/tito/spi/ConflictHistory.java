package io.tito.spi;

import io.tito.ByteArrays;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The writes of recent commits, indexed for first-committer-wins checks: the last version that
 * wrote each point key, and the cleared ranges as disjoint pieces, each holding the last version
 * that cleared it. A check costs O(log n) per written key plus the history inside each cleared
 * range, never a pass over the whole history. Pruning walks a log of commits in version order, so
 * it costs what it removes and can be spread over many commits.
 *
 * <p>Not thread-safe: used under the sequencer's commit lock.
 */
final class ConflictHistory {

  private static final byte[][] NO_KEYS = new byte[0][];

  private final TreeMap<byte[], Long> points = new TreeMap<>(ByteArrays.COMPARATOR);
  private final TreeMap<byte[], Piece> pieces = new TreeMap<>(ByteArrays.COMPARATOR);
  private final ArrayDeque<Commit> log = new ArrayDeque<>();
  private long loggedWrites;
  private long prunedThrough;

  ConflictHistory(long initialVersion) {
    this.prunedThrough = initialVersion;
  }

  /**
   * A key this write set writes that a commit after {@code snapshot} also wrote, or {@code null}.
   * Exact only while {@code snapshot >= prunedThrough()}.
   */
  byte[] findConflict(long snapshot, WriteSet writes) {
    for (byte[] key : writes.points().keySet()) {
      Long last = points.get(key);
      if (last != null && last > snapshot) {
        return key;
      }
      Map.Entry<byte[], Piece> p = pieces.floorEntry(key);
      if (p != null && p.getValue().version > snapshot && ByteArrays.compare(key, p.getValue().end) < 0) {
        return key;
      }
    }
    for (Map.Entry<byte[], byte[]> r : writes.clearedRangeMap().entrySet()) {
      byte[] begin = r.getKey();
      byte[] end = r.getValue();
      for (Map.Entry<byte[], Long> w : points.subMap(begin, true, end, false).entrySet()) {
        if (w.getValue() > snapshot) {
          return w.getKey();
        }
      }
      Map.Entry<byte[], Piece> before = pieces.lowerEntry(begin);
      if (before != null && before.getValue().version > snapshot
          && ByteArrays.compare(begin, before.getValue().end) < 0) {
        return begin;
      }
      for (Map.Entry<byte[], Piece> p : pieces.subMap(begin, true, end, false).entrySet()) {
        if (p.getValue().version > snapshot) {
          return p.getKey();
        }
      }
    }
    return null;
  }

  /** Records the writes of the commit at {@code version} (newer than every recorded one). */
  void record(WriteSet writes, long version) {
    byte[][] keys = writes.points().keySet().toArray(NO_KEYS);
    Long boxed = version;
    for (byte[] key : keys) {
      points.put(key, boxed);
    }
    NavigableMap<byte[], byte[]> ranges = writes.clearedRangeMap();
    byte[][] bounds = ranges.isEmpty() ? NO_KEYS : new byte[ranges.size() * 2][];
    int i = 0;
    for (Map.Entry<byte[], byte[]> r : ranges.entrySet()) {
      bounds[i++] = r.getKey();
      bounds[i++] = r.getValue();
      insertPiece(r.getKey(), r.getValue(), version);
    }
    log.addLast(new Commit(version, keys, bounds));
    loggedWrites += keys.length + ranges.size();
  }

  /** Covers {@code [begin, end)} with one piece at {@code version}, splitting what it overlaps. */
  private void insertPiece(byte[] begin, byte[] end, long version) {
    Map.Entry<byte[], Piece> before = pieces.lowerEntry(begin);
    if (before != null && ByteArrays.compare(before.getValue().end, begin) > 0) {
      Piece p = before.getValue();
      pieces.put(before.getKey(), new Piece(begin, p.version));
      if (ByteArrays.compare(p.end, end) > 0) {
        pieces.put(end, new Piece(p.end, p.version));
      }
    }
    NavigableMap<byte[], Piece> inside = pieces.subMap(begin, true, end, false);
    if (!inside.isEmpty()) {
      Piece last = inside.lastEntry().getValue();
      inside.clear();
      if (ByteArrays.compare(last.end, end) > 0) {
        pieces.put(end, new Piece(last.end, last.version));
      }
    }
    pieces.put(begin, new Piece(end, version));
  }

  /**
   * Forgets commits at versions up to {@code horizon}, oldest first, stopping once about
   * {@code budget} writes were visited (at least one commit is pruned when any may be).
   *
   * @return whether prunable commits remain
   */
  boolean prune(long horizon, long budget) {
    long spent = 0;
    while (!log.isEmpty() && log.peekFirst().version <= horizon && spent < budget) {
      Commit c = log.removeFirst();
      for (byte[] key : c.keys) {
        points.remove(key, c.version);
      }
      for (int i = 0; i < c.bounds.length; i += 2) {
        Iterator<Piece> it = pieces.subMap(c.bounds[i], true, c.bounds[i + 1], false).values().iterator();
        while (it.hasNext()) {
          if (it.next().version <= c.version) {
            it.remove();
          }
          spent++;
        }
      }
      spent += c.keys.length + c.bounds.length / 2 + 1;
      loggedWrites -= c.keys.length + c.bounds.length / 2;
      prunedThrough = c.version;
    }
    return !log.isEmpty() && log.peekFirst().version <= horizon;
  }

  /** Every commit at or before this version has been forgotten. */
  long prunedThrough() {
    return prunedThrough;
  }

  /** Writes (point keys and cleared ranges) of the commits still remembered. */
  long size() {
    return loggedWrites;
  }

  /** Indexed entries: point keys plus range pieces (for tests). */
  int indexedEntries() {
    return points.size() + pieces.size();
  }

  /** For tests: the remembered pieces as {@code [begin, end, version]} triples. */
  List<Object[]> piecesForTest() {
    return pieces.entrySet().stream()
        .map(e -> new Object[] {e.getKey(), e.getValue().end, e.getValue().version}).toList();
  }

  private record Piece(byte[] end, long version) {}

  private record Commit(long version, byte[][] keys, byte[][] bounds) {}
}
