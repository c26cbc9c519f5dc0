package io.tito.internal.events;

import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Stamp;
import io.tito.Transaction;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code $all} positions of a stream's events, resolved from the position references its
 * appends wrote (one per append, stamped at commit right before the append's {@code $all}
 * entries): the event of version {@code v} in the append whose reference is {@code (first, last)}
 * at stamp {@code s} sits at {@code (s.commitVersion, s.order + 1 + v - first)}. A reference
 * written by the reading transaction itself is not visible (stamped keys are not), so its events
 * resolve to null until it commits. Not thread-safe.
 */
public final class StreamPositions {

  /** One append's reference: its versions {@code first..last} and its stamp. */
  public record Ref(long first, long last, Stamp stamp) {

    /** The position of {@code version} (within {@code first..last}). */
    public Stamp positionOf(long version) {
      return new Stamp(stamp.commitVersion(), Math.toIntExact(stamp.order() + 1 + version - first));
    }

    /** The $all keys of versions {@code from..to} (inclusive, within {@code first..last}). */
    public KeyRange allKeys(EventKeys keys, long from, long to) {
      byte[] prefix = keys.allPrefix();
      return new KeyRange(positionOf(from).appendTo(prefix), positionOf(to).next().appendTo(prefix));
    }
  }

  private final List<Ref> refs;

  private StreamPositions(List<Ref> refs) {
    this.refs = refs;
  }

  /** The references covering versions {@code from..to} of {@code stream} (may be none). */
  public static StreamPositions load(Transaction tx, EventKeys keys, String stream, long from, long to) {
    if (to - from <= io.tito.RangeRead.MAX_LIMIT) {
      return fromRows(keys, tx.scanAll(reads(keys, stream, from, to)));
    }
    List<Ref> refs = new ArrayList<>();
    KeyRange below = new KeyRange(keys.allPositionRefs(stream).begin(), keys.positionRefPrefix(stream, from + 1));
    try (KeyValueCursor c = tx.scan(below, new ScanOptions(true, 1))) {
      if (c.hasNext()) {
        refs.add(decode(keys, c.next()));
      }
    }
    if (to > from) {
      try (KeyValueCursor c = tx.scan(keys.positionRefs(stream, from + 1, to + 1), ScanOptions.FORWARD)) {
        while (c.hasNext()) {
          refs.add(decode(keys, c.next()));
        }
      }
    }
    return new StreamPositions(refs);
  }

  /**
   * The reads that find the references covering versions {@code from..to} (at most {@code
   * RangeRead.MAX_LIMIT} apart): the last reference starting at or below {@code from}, then those
   * starting above it up to {@code to} (each covers at least one version, so at most {@code to -
   * from}). One read when {@code from == to}. Give their rows to {@link #fromRows}; a caller may
   * send them with its own reads in one {@code scanAll}.
   */
  public static List<io.tito.RangeRead> reads(EventKeys keys, String stream, long from, long to) {
    KeyRange below = new KeyRange(keys.allPositionRefs(stream).begin(), keys.positionRefPrefix(stream, from + 1));
    io.tito.RangeRead first = new io.tito.RangeRead(below, new ScanOptions(true, 1));
    if (to <= from) {
      return List.of(first);
    }
    return List.of(first, io.tito.RangeRead.forward(keys.positionRefs(stream, from + 1, to + 1),
        Math.toIntExact(to - from)));
  }

  /** The positions from the rows of {@link #reads}, in the same order. */
  public static StreamPositions fromRows(EventKeys keys, List<List<KeyValue>> rows) {
    List<Ref> refs = new ArrayList<>();
    for (List<KeyValue> read : rows) {
      for (KeyValue kv : read) {
        refs.add(decode(keys, kv));
      }
    }
    return new StreamPositions(refs);
  }

  /** The position of {@code version}, or null if no visible reference covers it. */
  public Stamp positionOf(long version) {
    int lo = 0;
    int hi = refs.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Ref r = refs.get(mid);
      if (version < r.first()) {
        hi = mid - 1;
      } else if (version > r.last()) {
        lo = mid + 1;
      } else {
        return r.positionOf(version);
      }
    }
    return null;
  }

  /**
   * Removes the {@code $all} entries of {@code stream}'s versions below {@code before} (every
   * version: {@link Long#MAX_VALUE}), and the references no version at or above {@code before}
   * needs any more, in {@code tx}. Entries of versions below {@code from} are taken as removed
   * before. Scans one reference per append.
   */
  public static void removeBelow(Transaction tx, EventKeys keys, String stream, long from, long before) {
    List<KeyValue> found = new ArrayList<>();
    KeyRange range = before == Long.MAX_VALUE ? keys.allPositionRefs(stream)
        : keys.positionRefs(stream, 0, before);
    try (KeyValueCursor c = tx.scan(range, ScanOptions.FORWARD)) {
      while (c.hasNext()) {
        found.add(c.next());
      }
    }
    for (KeyValue kv : found) {
      Ref r = decode(keys, kv);
      long a = Math.max(r.first(), from);
      long b = Math.min(r.last(), before - 1);
      if (a <= b) {
        tx.clearRange(r.allKeys(keys, a, b));
      }
      if (r.last() < before) {
        tx.clear(kv.key());
      }
    }
  }

  private static Ref decode(EventKeys keys, KeyValue kv) {
    return new Ref(keys.positionRefFirst(kv.key()), Tuple.unpack(kv.value()).getLong(0),
        keys.positionRefStamp(kv.key()));
  }
}
