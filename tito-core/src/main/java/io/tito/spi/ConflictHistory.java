package io.tito.spi;

import io.tito.ByteArrays;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The writes of recent commits, indexed for first-committer-wins checks: the last version that
 * wrote each point key (a hash index: one lookup per written key, no key ordering to maintain),
 * and the cleared ranges as disjoint pieces, each holding the last version that cleared it. A
 * check costs one hash lookup per written key plus the pieces inside each cleared range; a write
 * set that clears ranges also walks the point keys of the commits newer than its snapshot (those
 * it could conflict with), never the older history. A check of a snapshot newer than every
 * remembered commit costs nothing. Pruning walks a log of commits in version order, so it costs
 * what it removes and can be spread over many commits.
 *
 * <p>Not thread-safe: used under the sequencer's commit lock.
 */
final class ConflictHistory {

  private static final Key[] NO_KEYS = new Key[0];
  private static final byte[][] NO_BOUNDS = new byte[0][];

  /** The last version that wrote each point key; unordered, see {@link #pointWrittenInside}. */
  private final HashMap<Key, Long> points = new HashMap<>();
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
    if (log.isEmpty() || log.peekLast().version <= snapshot) {
      return null; // nothing committed after the snapshot is remembered
    }
    boolean anyPieces = !pieces.isEmpty();
    for (byte[] key : writes.points().keySet()) {
      Long last = points.get(new Key(key));
      if (last != null && last > snapshot) {
        return key;
      }
      if (anyPieces) {
        Map.Entry<byte[], Piece> p = pieces.floorEntry(key);
        if (p != null && p.getValue().version > snapshot
            && ByteArrays.compare(key, p.getValue().end) < 0) {
          return key;
        }
      }
    }
    NavigableMap<byte[], byte[]> cleared = writes.clearedRangeMap();
    if (cleared.isEmpty()) {
      return null;
    }
    byte[] written = pointWrittenInside(snapshot, cleared);
    if (written != null) {
      return written;
    }
    for (Map.Entry<byte[], byte[]> r : cleared.entrySet()) {
      byte[] begin = r.getKey();
      byte[] end = r.getValue();
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

  /**
   * A point key written by a commit after {@code snapshot} inside one of {@code cleared}, or
   * {@code null}: walks the commits newer than the snapshot, newest first.
   */
  private byte[] pointWrittenInside(long snapshot, NavigableMap<byte[], byte[]> cleared) {
    Iterator<Commit> newestFirst = log.descendingIterator();
    while (newestFirst.hasNext()) {
      Commit c = newestFirst.next();
      if (c.version <= snapshot) {
        return null;
      }
      for (Key k : c.keys) {
        Map.Entry<byte[], byte[]> r = cleared.floorEntry(k.bytes);
        if (r != null && ByteArrays.compare(k.bytes, r.getValue()) < 0) {
          return k.bytes;
        }
      }
    }
    return null;
  }

  /** Records the writes of the commit at {@code version} (newer than every recorded one). */
  void record(WriteSet writes, long version) {
    NavigableMap<byte[], byte[]> written = writes.points();
    Key[] keys = written.isEmpty() ? NO_KEYS : new Key[written.size()];
    Long boxed = version;
    int k = 0;
    for (byte[] key : written.keySet()) {
      Key wrapped = new Key(key);
      keys[k++] = wrapped;
      points.put(wrapped, boxed);
    }
    NavigableMap<byte[], byte[]> ranges = writes.clearedRangeMap();
    byte[][] bounds = ranges.isEmpty() ? NO_BOUNDS : new byte[ranges.size() * 2][];
    int i = 0;
    for (Map.Entry<byte[], byte[]> r : ranges.entrySet()) {
      bounds[i++] = r.getKey();
      bounds[i++] = r.getValue();
      insertPiece(r.getKey(), r.getValue(), version);
    }
    log.addLast(new Commit(version, boxed, keys, bounds));
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
      for (Key key : c.keys) {
        points.remove(key, c.boxed); // only if no later commit wrote it: versions are unique
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

  private record Commit(long version, Long boxed, Key[] keys, byte[][] bounds) {}

  /** A point key as a hash key: the array (never modified once written) and its content hash. */
  private static final class Key {
    final byte[] bytes;
    private final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
