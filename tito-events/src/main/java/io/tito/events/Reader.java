package io.tito.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tito.KeyRange;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.Stamp;
import io.tito.Transaction;
import io.tito.internal.events.AllEntry;
import io.tito.internal.events.EventKeys;
import io.tito.internal.events.StoredEvent;
import io.tito.internal.events.StreamHeader;
import io.tito.internal.events.StreamPositions;
import java.util.ArrayList;
import java.util.List;

/** Reads streams and $all (see {@link EventStore}). */
final class Reader {

  /** Rows scanned per requested event when a filter skips rows. */
  private static final int SCAN_BUDGET_FACTOR = 8;

  private final EventKeys keys;
  private final ObjectMapper mapper;

  Reader(EventKeys keys, ObjectMapper mapper, StreamHeads heads) {
    this.keys = keys;
    this.mapper = mapper;
    this.heads = heads;
  }

  private final StreamHeads heads;

  /**
   * The stream's header in {@code tx}; one read in a read-only transaction (committed state, as
   * an aggregate's load) is offered to the remembered headers, so that the next append to the
   * stream (the aggregate's commit) need not read it again.
   */
  private StreamHeader header(Transaction tx, String stream) {
    return seen(tx, stream, tx.get(keys.header(stream)));
  }

  /** The header {@code raw} read in {@code tx}, offered to the remembered headers as above. */
  private StreamHeader seen(Transaction tx, String stream, byte[] raw) {
    if (raw != null && tx.isReadOnly()) {
      heads.seed(stream, raw);
    }
    return StreamHeader.decode(raw);
  }

  StreamInfo info(Transaction tx, String stream) {
    StreamHeader h = header(tx, stream);
    return new StreamInfo(stream, h.version(), h.truncatedBefore(), h.deleted());
  }

  StreamSlice stream(Transaction tx, String stream, long from, int maxCount, boolean backward, EventFilter filter) {
    return stream(tx, stream, header(tx, stream), from, maxCount, backward, filter);
  }

  /** As above, with the header read already ({@code rawHeader}, null if absent) in {@code tx}. */
  StreamSlice stream(Transaction tx, String stream, byte[] rawHeader, long from, int maxCount) {
    return stream(tx, stream, seen(tx, stream, rawHeader), from, maxCount, false, EventFilter.ALL);
  }

  private StreamSlice stream(Transaction tx, String stream, StreamHeader h, long from, int maxCount,
      boolean backward, EventFilter filter) {
    if (h.deleted()) {
      throw new StreamDeletedException(stream);
    }
    long lowest = h.truncatedBefore();
    long highest = h.version();
    long start = backward ? Math.min(from, highest) : Math.max(from, lowest);
    if (highest == 0 || (backward ? start < lowest : start > highest)) {
      return new StreamSlice(stream, List.of(), -1, highest);
    }
    if (filter.types().isEmpty() && filter.streamPrefix().isEmpty()) {
      return unfiltered(tx, stream, start, maxCount, backward, lowest, highest);
    }
    KeyRange range = backward ? keys.events(stream, lowest, start + 1) : keys.events(stream, start, highest + 1);
    int budget = budget(maxCount, filter);
    List<StoredEvent> found = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    long lastScanned = -1;
    try (KeyValueCursor c = tx.scan(range, new ScanOptions(backward, budget))) {
      while (found.size() < maxCount && c.hasNext()) {
        KeyValue kv = c.next();
        lastScanned = keys.versionOf(kv.key());
        StoredEvent e = StoredEvent.decode(kv.value());
        if (filter.test(stream, e.type())) {
          found.add(e);
          versions.add(lastScanned);
        }
      }
    }
    List<RecordedEvent> out = new ArrayList<>(found.size());
    if (!found.isEmpty()) {
      long a = backward ? versions.get(versions.size() - 1) : versions.get(0);
      long b = backward ? versions.get(0) : versions.get(versions.size() - 1);
      StreamPositions positions = StreamPositions.load(tx, keys, stream, a, b);
      for (int i = 0; i < found.size(); i++) {
        long v = versions.get(i);
        out.add(toRecorded(stream, v, positions.positionOf(v), found.get(i)));
      }
    }
    return new StreamSlice(stream, out, nextVersion(lastScanned, backward, lowest, highest), highest);
  }

  AllSlice all(Transaction tx, Stamp after, int maxCount, EventFilter filter) {
    int budget = budget(maxCount, filter);
    List<AllEntry> entries = new ArrayList<>();
    List<Stamp> positions = new ArrayList<>();
    Stamp last = after;
    int scanned = 0;
    boolean end = true;
    // Entries at or above the horizon may still be joined by late committers below them: the
    // slice stops before them and is not the end.
    Stamp horizon = tx.stampHorizon();
    try (KeyValueCursor c = tx.scan(keys.allAfter(after, Stamp.MAX), new ScanOptions(false, budget))) {
      while (c.hasNext()) {
        if (entries.size() >= maxCount || scanned >= budget) {
          end = false;
          break;
        }
        KeyValue kv = c.next();
        Stamp stamp = keys.stampOf(kv.key());
        if (stamp.compareTo(horizon) >= 0) {
          end = false;
          break;
        }
        scanned++;
        last = stamp;
        AllEntry entry = AllEntry.decode(kv.value());
        if (filter.test(entry.stream(), entry.type())) {
          entries.add(entry);
          positions.add(last);
        }
      }
      if (end && scanned >= budget) {
        end = false; // the limit may have cut the scan short
      }
    }
    List<byte[]> eventKeys = new ArrayList<>(entries.size());
    for (AllEntry e : entries) {
      eventKeys.add(keys.event(e.stream(), e.version()));
    }
    List<byte[]> values = eventKeys.isEmpty() ? List.of() : tx.getAll(eventKeys);
    List<RecordedEvent> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      byte[] v = values.get(i);
      if (v != null) { // null: truncated or deleted since
        AllEntry e = entries.get(i);
        out.add(toRecorded(e.stream(), e.version(), positions.get(i), StoredEvent.decode(v)));
      }
    }
    return new AllSlice(out, last, end);
  }

  /**
   * The highest {@code $all} entry this snapshot holds, below the stamp horizon or not ({@link
   * Stamp#ZERO} if none): entries above the horizon are committed but not final yet.
   */
  Stamp top(Transaction tx) {
    try (KeyValueCursor c = tx.scan(keys.all(Stamp.MAX), new ScanOptions(true, 1))) {
      return c.hasNext() ? keys.stampOf(c.next().key()) : Stamp.ZERO;
    }
  }

  /**
   * A page of every event: the stream's versions between its truncation point and its version
   * are dense (appends, truncations and tombstones write events and header together), so the
   * page's versions are known before reading, and its events and their position references go in
   * one {@code scanAll} (one query on a server engine, where a scan each took a round trip each).
   */
  private StreamSlice unfiltered(Transaction tx, String stream, long start, int maxCount,
      boolean backward, long lowest, long highest) {
    long lo = backward ? Math.max(lowest, start - maxCount + 1) : start;
    long hi = backward ? start : Math.min(highest, start + maxCount - 1);
    List<io.tito.RangeRead> reads = new ArrayList<>(3);
    reads.add(new io.tito.RangeRead(keys.events(stream, lo, hi + 1),
        new ScanOptions(backward, Math.toIntExact(hi - lo + 1))));
    reads.addAll(StreamPositions.reads(keys, stream, lo, hi));
    List<List<KeyValue>> rows = tx.scanAll(reads);
    StreamPositions positions = StreamPositions.fromRows(keys, rows.subList(1, rows.size()));
    List<RecordedEvent> out = new ArrayList<>(rows.get(0).size());
    long lastScanned = -1;
    for (KeyValue kv : rows.get(0)) {
      lastScanned = keys.versionOf(kv.key());
      out.add(toRecorded(stream, lastScanned, positions.positionOf(lastScanned), StoredEvent.decode(kv.value())));
    }
    return new StreamSlice(stream, out, nextVersion(lastScanned, backward, lowest, highest), highest);
  }

  /** The version a page that scanned up to {@code lastScanned} (-1: nothing) continues from; -1 at the end. */
  private static long nextVersion(long lastScanned, boolean backward, long lowest, long highest) {
    if (lastScanned < 0) {
      return -1;
    }
    if (backward) {
      return lastScanned - 1 >= lowest ? lastScanned - 1 : -1;
    }
    return lastScanned + 1 <= highest ? lastScanned + 1 : -1;
  }

  Stamp head(Transaction tx) {
    try (KeyValueCursor c = tx.scan(keys.all(tx.stampHorizon()), new ScanOptions(true, 1))) {
      return c.hasNext() ? keys.stampOf(c.next().key()) : Stamp.ZERO;
    }
  }

  private static int budget(int maxCount, EventFilter filter) {
    boolean filtered = !filter.types().isEmpty() || !filter.streamPrefix().isEmpty();
    return filtered ? (int) Math.min(Integer.MAX_VALUE, (long) maxCount * SCAN_BUDGET_FACTOR) : maxCount;
  }

  RecordedEvent toRecorded(String stream, long version, Stamp position, StoredEvent e) {
    return new RecordedEvent(stream, version, position, e.eventId(), e.type(), e.payload(), e.headers(),
        e.causationId(), e.correlationId(), e.createdAt(), mapper);
  }
}
