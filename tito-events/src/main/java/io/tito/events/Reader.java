package io.tito.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.RangeRead;
import io.tito.ScanOptions;
import io.tito.Stamp;
import io.tito.Transaction;
import io.tito.internal.events.AllEntry;
import io.tito.internal.events.AllScan;
import io.tito.internal.events.EventKeys;
import io.tito.internal.events.EventRows;
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
    return filtered(tx, stream, start, maxCount, backward, lowest, highest, filter);
  }

  /**
   * A page of the events that pass {@code filter}: rows are read from the one holding {@code
   * start}, at most {@link #budget} events examined, then their positions in one more read.
   */
  private StreamSlice filtered(Transaction tx, String stream, long start, int maxCount, boolean backward,
      long lowest, long highest, EventFilter filter) {
    FilteredPage page = new FilteredPage(stream, start, maxCount, budget(maxCount, filter), backward, lowest,
        highest, filter);
    if (backward) {
      try (KeyValueCursor c = tx.scan(keys.events(stream, 0, start + 1), new ScanOptions(true, page.budget))) {
        while (!page.full() && c.hasNext()) {
          KeyValue kv = c.next();
          page.row(keys.versionOf(kv.key()), kv.value());
        }
      }
    } else {
      try (KeyValueCursor c = tx.scan(keys.events(stream, 0, start + 1), ScanOptions.REVERSE.withLimit(1))) {
        if (c.hasNext()) {
          KeyValue kv = c.next();
          page.row(keys.versionOf(kv.key()), kv.value());
        }
      }
      if (!page.full() && start < highest) {
        try (KeyValueCursor c = tx.scan(keys.events(stream, start + 1, highest + 1),
            new ScanOptions(false, page.budget))) {
          while (!page.full() && c.hasNext()) {
            KeyValue kv = c.next();
            page.row(keys.versionOf(kv.key()), kv.value());
          }
        }
      }
    }
    List<RecordedEvent> out = new ArrayList<>(page.found.size());
    if (!page.found.isEmpty()) {
      List<Long> versions = page.versions;
      long a = backward ? versions.get(versions.size() - 1) : versions.get(0);
      long b = backward ? versions.get(0) : versions.get(versions.size() - 1);
      StreamPositions positions = StreamPositions.load(tx, keys, stream, a, b);
      for (int i = 0; i < page.found.size(); i++) {
        long v = versions.get(i);
        out.add(toRecorded(stream, v, positions.positionOf(v), page.found.get(i)));
      }
    }
    return new StreamSlice(stream, out, nextVersion(page.lastExamined, backward, lowest, highest), highest);
  }

  /** The events a filtered page collects from rows, in the page's direction. */
  private static final class FilteredPage {
    private final String stream;
    private final long start;
    private final int maxCount;
    private final int budget;
    private final boolean backward;
    private final long lowest;
    private final long highest;
    private final EventFilter filter;
    final List<StoredEvent> found = new ArrayList<>();
    final List<Long> versions = new ArrayList<>();
    long lastExamined = -1;
    private int examined;

    FilteredPage(String stream, long start, int maxCount, int budget, boolean backward, long lowest,
        long highest, EventFilter filter) {
      this.stream = stream;
      this.start = start;
      this.maxCount = maxCount;
      this.budget = budget;
      this.backward = backward;
      this.lowest = lowest;
      this.highest = highest;
      this.filter = filter;
    }

    boolean full() {
      return found.size() >= maxCount || examined >= budget;
    }

    /** Examines the events of the row at {@code first} that the page covers, in its direction. */
    void row(long first, byte[] value) {
      List<byte[]> events = EventRows.events(value);
      for (int j = 0; j < events.size() && !full(); j++) {
        int i = backward ? events.size() - 1 - j : j;
        long v = first + i;
        if (v < lowest || v > highest || (backward ? v > start : v < start)) {
          continue;
        }
        examined++;
        lastExamined = v;
        StoredEvent e = StoredEvent.decode(events.get(i));
        if (filter.test(stream, e.type())) {
          found.add(e);
          versions.add(v);
        }
      }
    }
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
    AllScan.Page page = AllScan.read(tx, keys, after.next(), Stamp.MAX, Math.min(budget, RangeRead.MAX_LIMIT));
    for (AllScan.Event ev : page.events()) {
      if (entries.size() >= maxCount || scanned >= budget || ev.position().compareTo(horizon) >= 0) {
        end = false;
        break;
      }
      scanned++;
      last = ev.position();
      AllEntry entry = ev.entry();
      if (filter.test(entry.stream(), entry.type())) {
        entries.add(entry);
        positions.add(last);
      }
    }
    if (end && (page.cut() || scanned >= budget)) {
      end = false; // the limit may have cut the read short
    }
    List<byte[]> values = EventRows.bodies(tx, keys, entries);
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
   * The position of the last {@code $all} event this snapshot holds, below the stamp horizon or not ({@link
   * Stamp#ZERO} if none): entries above the horizon are committed but not final yet.
   */
  Stamp top(Transaction tx) {
    return AllScan.head(tx, keys, Stamp.MAX);
  }

  /**
   * A page of every event: the stream's versions between its truncation point and its version
   * are dense (appends, truncations and tombstones write events and header together), so the
   * page's versions are known before reading, and the rows holding them and their position
   * references go in one {@code scanAll} (one query on a server engine, where a scan each took a round trip each).
   */
  private StreamSlice unfiltered(Transaction tx, String stream, long start, int maxCount,
      boolean backward, long lowest, long highest) {
    long lo = backward ? Math.max(lowest, start - maxCount + 1) : start;
    long hi = backward ? start : Math.min(highest, start + maxCount - 1);
    List<io.tito.RangeRead> reads = new ArrayList<>(EventRows.reads(keys, stream, lo, hi));
    int rowReads = reads.size();
    reads.addAll(StreamPositions.reads(keys, stream, lo, hi));
    List<List<KeyValue>> rows = tx.scanAll(reads);
    StreamPositions positions = StreamPositions.fromRows(keys, rows.subList(rowReads, rows.size()));
    byte[][] bodies = EventRows.bodies(keys, rows.subList(0, rowReads), lo, hi);
    List<RecordedEvent> out = new ArrayList<>(bodies.length);
    long lastScanned = -1;
    for (int j = 0; j < bodies.length; j++) {
      long v = backward ? hi - j : lo + j;
      byte[] body = bodies[Math.toIntExact(v - lo)];
      if (body != null) {
        lastScanned = v;
        out.add(toRecorded(stream, v, positions.positionOf(v), StoredEvent.decode(body)));
      }
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
    return AllScan.head(tx, keys, tx.stampHorizon());
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
