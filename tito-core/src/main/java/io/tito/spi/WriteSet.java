package io.tito.spi;

import io.tito.ByteArrays;
import io.tito.KeyRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The pending writes of one transaction, normalised: cleared ranges (sorted, non-overlapping,
 * merged) and point writes (a value, or {@code null} for a point clear). Applying it means
 * clearing the ranges first, then applying the point writes, which always reflects the order in
 * which the transaction made them: a set after a clearRange survives, a set before it was dropped
 * from the point writes when the range was cleared.
 *
 * <p>Not thread-safe; owned by one transaction. Engines read it at commit.
 */
public final class WriteSet {

  private final TreeMap<byte[], byte[]> points = new TreeMap<>(ByteArrays.COMPARATOR);
  private final TreeMap<byte[], byte[]> ranges = new TreeMap<>(ByteArrays.COMPARATOR);
  private long bytes;
  /** How many of {@link #points} are point clears (null values): lookups of absent keys skip a search while none is. */
  private int pointClears;
  /** How to undo the writes made since the outermost open savepoint; null when none is open. */
  private List<Undo> undo;
  private int openSavepoints;
  /** Stamped writes waiting for their commit version, in order; see {@link #putStamped}. */
  private final List<StampedWrite> stamped = new ArrayList<>(0);
  private int nextOrder;
  /** The version {@link #materialiseStamps} used; -1 before. */
  private long stampVersion = -1;
  /** The order offset {@link #materialiseStamps(long, int)} used; 0 unless a larger commit shifted them. */
  private int stampOrderOffset;
  /** Sequenced appends waiting for their positions, in order; see {@link #putSequenced}. */
  private final List<SequencedWrite> sequenced = new ArrayList<>(0);
  /** How many of {@link #sequenced} each counter has (null until the first append). */
  private TreeMap<byte[], Integer> appendsPerCounter;
  /** {@link #sequenceCounters()}'s answer, kept until the counters change; null when unknown. */
  private List<byte[]> counterList;
  /** Per counter key: the first position {@link #materialiseSequences} assigned, and what it replaced. */
  private TreeMap<byte[], Materialised> sequenceStarts;

  /** What one counter's materialisation assigned ({@code first}) and the point write it replaced. */
  private record Materialised(long first, boolean hadPoint, byte[] pointBefore, int appends) {}

  /** Expectations left for the commit to check (see {@link EngineTransaction#expect}). */
  private List<Expectation> expectations;

  /**
   * A read deferred into the commit: the transaction commits only if its snapshot holds {@code
   * value} at {@code key} ({@code null}: absent). Not a write: {@link #isEmpty} ignores it, and
   * savepoints do not undo it.
   */
  public record Expectation(byte[] key, byte[] value) {}

  /** Defers a read to the commit (the arrays are kept as given). */
  public void expect(byte[] key, byte[] value) {
    if (expectations == null) {
      expectations = new ArrayList<>(2);
    }
    expectations.add(new Expectation(key, value));
  }

  /** The deferred reads, in the order made; empty if none. */
  public List<Expectation> expectations() {
    return expectations == null ? List.of() : Collections.unmodifiableList(expectations);
  }

  /** Whether reads were deferred to the commit. */
  public boolean hasExpectations() {
    return expectations != null;
  }

  /** A write whose key is {@code prefix + Stamp(commitVersion, order)}, known at commit. */
  public record StampedWrite(byte[] prefix, byte[] value, int order) {}

  /**
   * Records a stamped write (see {@link EngineTransaction#setStamped}); invisible to lookups until
   * {@link #materialiseStamps}.
   *
   * @return its order within the set
   * @throws io.tito.InvalidArgumentException after {@code Stamp.MAX_ORDER + 1} of them
   */
  public int putStamped(byte[] prefix, byte[] value) {
    return putStamped(prefix, value, 1);
  }

  /**
   * {@link #putStamped(byte[], byte[])} taking {@code orders} consecutive orders: the write has
   * the first, the next stamped write the one after the last.
   *
   * @throws io.tito.InvalidArgumentException if {@code orders} is below 1 or the orders would
   *     pass {@code Stamp.MAX_ORDER}
   */
  public int putStamped(byte[] prefix, byte[] value, int orders) {
    if (orders < 1) {
      throw new io.tito.InvalidArgumentException("a stamped write takes at least one order",
          Map.of("orders", orders));
    }
    if ((long) nextOrder + orders - 1 > io.tito.Stamp.MAX_ORDER) {
      throw new io.tito.InvalidArgumentException("too many stamped writes in one transaction",
          Map.of("max", io.tito.Stamp.MAX_ORDER + 1, "orders", orders));
    }
    int order = nextOrder;
    nextOrder += orders;
    stamped.add(new StampedWrite(prefix, value, order));
    bytes += prefix.length + io.tito.Stamp.LENGTH + value.length;
    return order;
  }

  /**
   * The stamped writes in their order (an engine that builds their keys itself at commit, from
   * the prefix, its commit version and the order); unmodifiable.
   */
  public List<StampedWrite> stampedWrites() {
    return java.util.Collections.unmodifiableList(stamped);
  }

  /** Whether stamped writes wait for a commit version. */
  public boolean hasStamped() {
    return !stamped.isEmpty();
  }

  /**
   * Turns the stamped writes into point writes at {@code commitVersion}; engines with {@link
   * Capability#COMMIT_ORDERED_KEYS} call it once they know the commit version, before applying
   * the set (after the conflict checks: stamped keys are unique). Calling it again with another
   * version replaces the keys of the previous call.
   */
  public void materialiseStamps(long commitVersion) {
    materialiseStamps(commitVersion, 0);
  }

  /**
   * {@link #materialiseStamps(long)} with every order shifted by {@code orderOffset}: the set's
   * stamped writes were committed as part of a larger commit that gave them the orders from
   * {@code orderOffset} on (see {@link #appendStampedOf}), and {@link #stampOf} answers their
   * stamps.
   *
   * @throws io.tito.InvalidArgumentException if the shifted orders would pass {@code
   *     Stamp.MAX_ORDER}
   */
  public void materialiseStamps(long commitVersion, int orderOffset) {
    if (stamped.isEmpty()) {
      return;
    }
    if (orderOffset < 0 || (long) orderOffset + nextOrder - 1 > io.tito.Stamp.MAX_ORDER) {
      throw new io.tito.InvalidArgumentException("stamp orders out of range",
          Map.of("offset", orderOffset, "orders", nextOrder));
    }
    if (stampVersion >= 0) {
      for (StampedWrite w : stamped) {
        removePoint(new io.tito.Stamp(stampVersion, stampOrderOffset + w.order()).appendTo(w.prefix()));
      }
    }
    for (StampedWrite w : stamped) {
      putPoint(new io.tito.Stamp(commitVersion, orderOffset + w.order()).appendTo(w.prefix()), w.value());
    }
    stampVersion = commitVersion;
    stampOrderOffset = orderOffset;
  }

  /**
   * The stamp of this set's stamped write of {@code order} (as {@link #putStamped} returned it),
   * once {@link #materialiseStamps materialised}.
   *
   * @throws io.tito.InvalidArgumentException before that, or if no write took {@code order}
   */
  public io.tito.Stamp stampOf(int order) {
    if (stampVersion < 0 || order < 0 || order >= nextOrder) {
      throw new io.tito.InvalidArgumentException("no stamp for this order",
          Map.of("order", order, "orders", nextOrder, "materialised", stampVersion >= 0));
    }
    return new io.tito.Stamp(stampVersion, stampOrderOffset + order);
  }

  /** How many orders this set's stamped writes took (the next write's order). */
  public int stampOrders() {
    return nextOrder;
  }

  /**
   * Adds {@code other}'s stamped writes after this set's, each at its own order plus this set's
   * {@link #stampOrders()} before the call (the offset returned), so their order differences and
   * the orders they reserved stay as they were: a commit of several sets as one gives each set's
   * writes consecutive orders, and {@code other.materialiseStamps(version, offset)} then names
   * the keys this set's materialisation wrote.
   *
   * @return the offset of {@code other}'s orders in this set
   * @throws io.tito.InvalidArgumentException if the orders would pass {@code Stamp.MAX_ORDER}
   */
  public int appendStampedOf(WriteSet other) {
    int offset = nextOrder;
    if ((long) offset + other.nextOrder - 1 > io.tito.Stamp.MAX_ORDER) {
      throw new io.tito.InvalidArgumentException("too many stamped writes in one transaction",
          Map.of("max", io.tito.Stamp.MAX_ORDER + 1, "orders", (long) offset + other.nextOrder));
    }
    for (StampedWrite w : other.stamped) {
      stamped.add(new StampedWrite(w.prefix(), w.value(), offset + w.order()));
      bytes += w.prefix().length + io.tito.Stamp.LENGTH + w.value().length;
    }
    nextOrder = offset + other.nextOrder;
    return offset;
  }

  /** The version of the last {@link #materialiseStamps}, or -1. */
  public long stampVersion() {
    return stampVersion;
  }

  /**
   * A write whose key is {@code prefix + Tuple.of(position).pack()}, where the position is the
   * next one of the counter at {@code counter}, known at commit (see {@link
   * EngineTransaction#appendSequenced}).
   */
  public record SequencedWrite(byte[] counter, byte[] prefix, byte[] value) {}

  /**
   * Records a sequenced append (see {@link EngineTransaction#appendSequenced}); invisible to
   * lookups until {@link #materialiseSequences}.
   *
   * @return how many appends to {@code counter} this set held before this one (its offset from
   *     the first position the commit assigns to the counter)
   */
  public int putSequenced(byte[] counter, byte[] prefix, byte[] value) {
    if (appendsPerCounter == null) {
      appendsPerCounter = new TreeMap<>(ByteArrays.COMPARATOR);
    }
    int offset = appendsPerCounter.getOrDefault(counter, 0);
    appendsPerCounter.put(counter, offset + 1);
    if (offset == 0) {
      counterList = null;
    }
    sequenced.add(new SequencedWrite(counter, prefix, value));
    bytes += prefix.length + SEQUENCE_POSITION_BYTES + value.length + (offset == 0 ? counter.length + 9 : 0);
    return offset;
  }

  /** Bytes counted for a position's tuple encoding (the longest a long takes). */
  private static final int SEQUENCE_POSITION_BYTES = 9;

  /**
   * The sequenced appends in the order they were made (an engine that builds their keys itself
   * at commit, from the counters' latest values); unmodifiable. {@link #materialiseSequences}
   * must still be called with the same values, so that {@link #sequenceStart} answers.
   */
  public List<SequencedWrite> sequencedWrites() {
    return java.util.Collections.unmodifiableList(sequenced);
  }

  /** Whether sequenced appends wait for their positions. */
  public boolean hasSequenced() {
    return !sequenced.isEmpty();
  }

  /**
   * The distinct counter keys of the sequenced appends, sorted (empty if none); unmodifiable, and
   * the same list until an append adds a counter or a savepoint rollback removes appends (a
   * commit asks for it more than once).
   */
  public List<byte[]> sequenceCounters() {
    if (appendsPerCounter == null) {
      return List.of();
    }
    List<byte[]> c = counterList;
    if (c == null) {
      c = List.copyOf(appendsPerCounter.keySet());
      counterList = c;
    }
    return c;
  }

  /**
   * Turns the sequenced appends into point writes. Engines with {@link
   * Capability#COMMIT_SEQUENCED_APPENDS} call it after their conflict checks, while they hold
   * what orders the counters' commits (a commit lock, the counters' key locks), with {@code
   * latest} answering the latest committed values of {@link #sequenceCounters()} (in that order,
   * {@code null} where absent). Each counter's base is this set's own point write of it if it has
   * one (a transaction that wrote the counter itself, checked for conflicts like any write), else
   * its latest committed value; a counter's value is {@code Tuple.of(next).pack()}, absent meaning
   * 0. Its appends take positions {@code base, base + 1, ...} in the order they were made, and the
   * counter is written as {@code base + n}: it becomes a written key of the commit, so a concurrent
   * transaction that read-modify-writes it conflicts as usual. Calling it again replaces the
   * writes of the previous call.
   */
  public void materialiseSequences(java.util.function.Function<List<byte[]>, List<byte[]>> latest) {
    if (sequenced.isEmpty()) {
      return;
    }
    unmaterialiseSequences();
    // Counters in key order (appendsPerCounter's), so a write finds its counter by binary search;
    // positions are encoded straight after their prefix (TupleWriter: the bytes of
    // concat(prefix, Tuple.of(n).pack()) without the tuple and the two copies).
    List<byte[]> counters = sequenceCounters();
    List<byte[]> committed = latest.apply(counters);
    int n = counters.size();
    long[] first = new long[n];
    long[] next = new long[n];
    boolean[] hadPoint = new boolean[n];
    byte[][] pointBefore = new byte[n][];
    for (int i = 0; i < n; i++) {
      byte[] counter = counters.get(i);
      pointBefore[i] = points.get(counter);
      hadPoint[i] = pointBefore[i] != null || (pointClears > 0 && points.containsKey(counter));
      byte[] base = hadPoint[i] ? pointBefore[i] : isCleared(counter) ? null : committed.get(i);
      first[i] = base == null ? 0 : io.tito.tuple.Tuple.unpack(base).getLong(0);
      next[i] = first[i];
    }
    for (SequencedWrite w : sequenced) {
      int i = n == 1 ? 0 : Collections.binarySearch(counters, w.counter(), ByteArrays.COMPARATOR);
      putPoint(new io.tito.tuple.TupleWriter(w.prefix(), POSITION_BYTES).add(next[i]++).toBytes(),
          w.value());
    }
    TreeMap<byte[], Materialised> starts = new TreeMap<>(ByteArrays.COMPARATOR);
    for (int i = 0; i < n; i++) {
      starts.put(counters.get(i), new Materialised(first[i], hadPoint[i], pointBefore[i],
          (int) (next[i] - first[i])));
      putPoint(counters.get(i),
          new io.tito.tuple.TupleWriter(NO_PREFIX, POSITION_BYTES).add(next[i]).toBytes());
    }
    sequenceStarts = starts;
  }

  private static final byte[] NO_PREFIX = new byte[0];
  /** The longest tuple encoding of an integer: code byte and eight bytes. */
  private static final int POSITION_BYTES = 9;

  private void unmaterialiseSequences() {
    if (sequenceStarts == null) {
      return;
    }
    for (Map.Entry<byte[], Materialised> e : sequenceStarts.entrySet()) {
      Materialised m = e.getValue();
      for (SequencedWrite w : sequenced) {
        if (java.util.Arrays.equals(w.counter(), e.getKey())) {
          for (long pos = m.first(); pos < m.first() + m.appends(); pos++) {
            removePoint(ByteArrays.concat(w.prefix(), io.tito.tuple.Tuple.of(pos).pack()));
          }
        }
      }
      if (m.hadPoint()) {
        putPoint(e.getKey(), m.pointBefore());
      } else {
        removePoint(e.getKey());
      }
    }
    sequenceStarts = null;
  }

  /**
   * The first position the last {@link #materialiseSequences} assigned to {@code counter}'s
   * appends, or -1 if it assigned none.
   */
  public long sequenceStart(byte[] counter) {
    Materialised m = sequenceStarts == null ? null : sequenceStarts.get(counter);
    return m == null ? -1 : m.first();
  }

  /** Records a set ({@code value != null}) or a point clear ({@code value == null}). */
  public void put(byte[] key, byte[] value) {
    int sizeBefore = points.size();
    byte[] old = points.put(key, value);
    // The size tells a replaced point clear (old == null, key present) from a new key.
    boolean had = points.size() == sizeBefore;
    if (had && old == null) {
      pointClears--;
    }
    if (value == null) {
      pointClears++;
    }
    if (undo != null) {
      undo.add(new PointUndo(key, old, had));
    }
    bytes += key.length + (value == null ? 0 : value.length);
    if (old != null) {
      bytes -= key.length + old.length;
    }
  }

  /** Records a range clear: drops pending point writes inside it and merges it into the ranges. */
  public void clearRange(byte[] begin, byte[] end) {
    if (ByteArrays.compare(begin, end) >= 0) {
      return;
    }
    NavigableMap<byte[], byte[]> inside = points.subMap(begin, true, end, false);
    Map<byte[], byte[]> pointsBefore = undo == null ? null : new TreeMap<>(inside);
    for (Map.Entry<byte[], byte[]> e : inside.entrySet()) {
      if (e.getValue() == null) {
        pointClears--;
        bytes -= e.getKey().length;
      } else {
        bytes -= e.getKey().length + e.getValue().length;
      }
    }
    inside.clear();
    byte[] b = begin;
    byte[] e = end;
    Map.Entry<byte[], byte[]> before = ranges.floorEntry(b);
    if (before != null && ByteArrays.compare(before.getValue(), b) >= 0) {
      b = before.getKey();
      if (ByteArrays.compare(before.getValue(), e) > 0) {
        e = before.getValue();
      }
    }
    NavigableMap<byte[], byte[]> overlapping = ranges.subMap(b, true, e, true);
    for (byte[] rangeEnd : overlapping.values()) {
      if (ByteArrays.compare(rangeEnd, e) > 0) {
        e = rangeEnd;
      }
    }
    for (Map.Entry<byte[], byte[]> r : overlapping.entrySet()) {
      bytes -= r.getKey().length + r.getValue().length;
    }
    if (undo != null) {
      undo.add(new RangeUndo(b, new TreeMap<>(overlapping), pointsBefore));
    }
    overlapping.clear();
    ranges.put(b, e);
    bytes += b.length + e.length;
  }

  /**
   * Opens a savepoint: the writes made from now on can be undone with {@link #rollbackTo}.
   * Savepoints nest; each must be ended by {@link #rollbackTo} or {@link #release}, innermost
   * first. While one is open, each write also records how to undo it, except under an outermost
   * savepoint opened on an empty set: rolling that one back empties the set, so nothing needs
   * recording (the usual case of a model write that is a transaction's first write).
   */
  public Savepoint savepoint() {
    openSavepoints++;
    if (undo == null && openSavepoints == 1 && isEmpty()) {
      return Savepoint.ON_EMPTY;
    }
    if (undo == null) {
      undo = new ArrayList<>();
    }
    return new Savepoint(undo.size(), bytes, stamped.size(), sequenced.size());
  }

  /** Undoes every write made since {@code savepoint} was opened, and ends it. */
  public void rollbackTo(Savepoint savepoint) {
    stamped.subList(Math.max(0, savepoint.stampedSize()), stamped.size()).clear();
    if (savepoint.sequencedSize() < sequenced.size()) {
      sequenced.subList(Math.max(0, savepoint.sequencedSize()), sequenced.size()).clear();
      appendsPerCounter.clear();
      counterList = null;
      for (SequencedWrite w : sequenced) {
        appendsPerCounter.merge(w.counter(), 1, Integer::sum);
      }
    }
    if (savepoint.undoSize() < 0) {
      points.clear();
      pointClears = 0;
      ranges.clear();
      if (undo != null) {
        undo.clear();
      }
    } else {
      for (int i = undo.size() - 1; i >= savepoint.undoSize(); i--) {
        undo.remove(i).undo(this);
      }
    }
    bytes = savepoint.bytes();
    release(savepoint);
  }

  /** Ends {@code savepoint} keeping its writes (an enclosing savepoint can still undo them). */
  public void release(Savepoint savepoint) {
    if (--openSavepoints == 0) {
      undo = null;
    }
  }

  /** Whether the key is inside a cleared range (ignoring point writes). */
  public boolean isCleared(byte[] key) {
    Map.Entry<byte[], byte[]> r = ranges.floorEntry(key);
    return r != null && ByteArrays.compare(key, r.getValue()) < 0;
  }

  /**
   * What this transaction's writes say about {@code key}: {@link Lookup#UNKNOWN} if they say
   * nothing (read the snapshot), else the value or absence they imply.
   */
  public Lookup lookup(byte[] key) {
    byte[] v = points.get(key);
    if (v != null) {
      return new Lookup(v);
    }
    if (pointClears > 0 && points.containsKey(key)) {
      return Lookup.ABSENT;
    }
    return isCleared(key) ? Lookup.ABSENT : Lookup.UNKNOWN;
  }

  /** Point writes in key order; values are {@code null} for clears. Live view. */
  public NavigableMap<byte[], byte[]> points() {
    return Collections.unmodifiableNavigableMap(points);
  }

  /** Cleared ranges in key order, merged and non-overlapping. */
  public List<KeyRange> clearedRanges() {
    List<KeyRange> out = new ArrayList<>(ranges.size());
    ranges.forEach((b, e) -> out.add(new KeyRange(b, e)));
    return out;
  }

  /** Cleared ranges as a begin-to-end map, for fast overlap checks. Live, unmodifiable view. */
  public NavigableMap<byte[], byte[]> clearedRangeMap() {
    return Collections.unmodifiableNavigableMap(ranges);
  }

  /** Approximate bytes written: keys, values and range bounds. */
  public long bytes() {
    return bytes;
  }

  /** Whether nothing was written. */
  public boolean isEmpty() {
    return points.isEmpty() && ranges.isEmpty() && stamped.isEmpty() && sequenced.isEmpty();
  }

  /** Sets a point entry, keeping {@link #pointClears} (not {@link #bytes}) right. */
  private void putPoint(byte[] key, byte[] value) {
    int sizeBefore = points.size();
    byte[] old = points.put(key, value);
    if (points.size() == sizeBefore && old == null) {
      pointClears--;
    }
    if (value == null) {
      pointClears++;
    }
  }

  /** Removes a point entry if present, keeping {@link #pointClears} (not {@link #bytes}) right. */
  private void removePoint(byte[] key) {
    if (points.containsKey(key) && points.remove(key) == null) {
      pointClears--;
    }
  }

  /** One entry of the undo log of open savepoints. */
  private sealed interface Undo permits PointUndo, RangeUndo {
    void undo(WriteSet w);
  }

  /** Undoes a point write: restores the key's previous entry ({@code had}), or removes it. */
  private record PointUndo(byte[] key, byte[] before, boolean had) implements Undo {
    @Override
    public void undo(WriteSet w) {
      if (had) {
        w.putPoint(key, before);
      } else {
        w.removePoint(key);
      }
    }
  }

  /**
   * Undoes a range clear: removes the merged range {@code added}, restores the ranges it absorbed
   * and the point writes it dropped.
   */
  private record RangeUndo(byte[] added, Map<byte[], byte[]> rangesBefore,
      Map<byte[], byte[]> pointsBefore) implements Undo {
    @Override
    public void undo(WriteSet w) {
      w.ranges.remove(added);
      w.ranges.putAll(rangesBefore);
      pointsBefore.forEach(w::putPoint);
    }
  }

  /**
   * A point in the history of a write set, from {@link #savepoint()}: the undo log's length then
   * ({@code -1}: the set was empty, roll back by emptying it), the bytes written and the numbers of
   * stamped writes and sequenced appends.
   */
  public record Savepoint(int undoSize, long bytes, int stampedSize, int sequencedSize) {
    /** The outermost savepoint of an empty set. */
    static final Savepoint ON_EMPTY = new Savepoint(-1, 0, 0, 0);
  }

  /** The outcome of {@link #lookup}: unknown, absent, or a value. */
  public record Lookup(byte[] value) {
    public static final Lookup UNKNOWN = new Lookup(null);
    public static final Lookup ABSENT = new Lookup(new byte[0]);

    /** Whether the transaction's writes decide this key. */
    public boolean known() {
      return this != UNKNOWN;
    }

    /** Whether the key is absent according to the writes. */
    public boolean absent() {
      return this == ABSENT;
    }
  }
}
