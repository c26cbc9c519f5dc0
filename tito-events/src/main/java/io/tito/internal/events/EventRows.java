package io.tito.internal.events;

import io.tito.StorageException;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.RangeRead;
import io.tito.ScanOptions;
import io.tito.Transaction;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows holding a stream's events. An append writes its events in as few rows as fit {@link
 * #CHUNK_BYTES} (one row for the usual append), each at the key of its first version ({@link
 * EventKeys#event}); a row's events have consecutive versions from there. Two value forms:
 *
 * <ul>
 *   <li>one event: its stored form ({@link StoredEvent#encode}, a tuple starting with format 1),
 *       as every row was before rows held several events;
 *   <li>several events: format 2, the bytes {@code 0x15 0x02}, then per event a 4-byte length and
 *       its stored form.
 * </ul>
 *
 * Readers take both, so stores written before keep reading as they did.
 */
public final class EventRows {

  /** Bytes of stored events a row collects before the next event starts a new row. */
  public static final int CHUNK_BYTES = 64 * 1024;

  private static final byte TUPLE_INT_1 = 0x15;
  private static final byte FORMAT_2 = 0x02;

  private EventRows() {}

  /** One row to write: its first version, its value and how many events it holds. */
  public record Row(long first, byte[] value, int count) {}

  /**
   * Rows for events stored as {@code stored} (in version order) with versions from {@code first}:
   * consecutive events share a row while the row's stored bytes stay within {@link #CHUNK_BYTES}
   * (an event larger than that gets a row of its own).
   */
  public static List<Row> pack(long first, List<byte[]> stored) {
    List<Row> rows = new ArrayList<>(1);
    int start = 0;
    while (start < stored.size()) {
      int end = start + 1;
      long bytes = stored.get(start).length;
      while (end < stored.size() && bytes + stored.get(end).length <= CHUNK_BYTES) {
        bytes += stored.get(end).length;
        end++;
      }
      rows.add(new Row(first + start, encode(stored.subList(start, end)), end - start));
      start = end;
    }
    return rows;
  }

  private static byte[] encode(List<byte[]> events) {
    if (events.size() == 1) {
      return events.get(0);
    }
    int size = 2;
    for (byte[] e : events) {
      size += 4 + e.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(TUPLE_INT_1).put(FORMAT_2);
    for (byte[] e : events) {
      b.putInt(e.length).put(e);
    }
    return b.array();
  }

  private static boolean isMany(byte[] value) {
    return value.length >= 2 && value[0] == TUPLE_INT_1 && value[1] == FORMAT_2;
  }

  /** How many events the row {@code value} holds. */
  public static int count(byte[] value) {
    if (!isMany(value)) {
      return 1;
    }
    int n = 0;
    for (int at = 2; at < value.length; n++) {
      at += 4 + length(value, at);
    }
    return n;
  }

  /** The stored form of the row's {@code index}-th event (0-based), or null if it has fewer. */
  public static byte[] eventAt(byte[] value, long index) {
    if (index < 0) {
      return null;
    }
    if (!isMany(value)) {
      return index == 0 ? value : null;
    }
    int at = 2;
    for (long i = 0; at < value.length; i++) {
      int len = length(value, at);
      if (i == index) {
        byte[] out = new byte[len];
        System.arraycopy(value, at + 4, out, 0, len);
        return out;
      }
      at += 4 + len;
    }
    return null;
  }

  /** The stored forms of every event of the row, in version order. */
  public static List<byte[]> events(byte[] value) {
    if (!isMany(value)) {
      return List.of(value);
    }
    List<byte[]> out = new ArrayList<>();
    for (int at = 2; at < value.length; ) {
      int len = length(value, at);
      byte[] e = new byte[len];
      System.arraycopy(value, at + 4, e, 0, len);
      out.add(e);
      at += 4 + len;
    }
    return out;
  }

  private static int length(byte[] value, int at) {
    if (at + 4 > value.length) {
      throw corrupt(value);
    }
    int len = ((value[at] & 0xFF) << 24) | ((value[at + 1] & 0xFF) << 16) | ((value[at + 2] & 0xFF) << 8)
        | (value[at + 3] & 0xFF);
    if (len < 0 || at + 4 + len > value.length) {
      throw corrupt(value);
    }
    return len;
  }

  private static StorageException corrupt(byte[] value) {
    return new StorageException("event row is corrupt", Map.of("bytes", value.length), null);
  }

  // ---- reads and removals

  /**
   * The reads that find the rows holding versions {@code lo..hi} of {@code stream} ({@code hi -
   * lo < RangeRead.MAX_LIMIT}): the row starting at or below {@code lo}, then those starting in
   * {@code (lo, hi]}. Give their rows to {@link #bodies(EventKeys, List, long, long)}; a caller may
   * send them with its own reads in one {@code scanAll}.
   */
  public static List<RangeRead> reads(EventKeys keys, String stream, long lo, long hi) {
    RangeRead holdingLo = new RangeRead(keys.events(stream, 0, lo + 1), ScanOptions.REVERSE.withLimit(1));
    if (hi <= lo) {
      return List.of(holdingLo);
    }
    return List.of(holdingLo, RangeRead.forward(keys.events(stream, lo + 1, hi + 1), Math.toIntExact(hi - lo)));
  }

  /** The stored form of versions {@code lo..hi} (index {@code v - lo}; null where absent) from the rows of {@link #reads}. */
  public static byte[][] bodies(EventKeys keys, List<List<KeyValue>> reads, long lo, long hi) {
    byte[][] out = new byte[Math.toIntExact(hi - lo + 1)][];
    for (List<KeyValue> read : reads) {
      for (KeyValue kv : read) {
        long v = keys.versionOf(kv.key());
        for (byte[] e : events(kv.value())) {
          if (v >= lo && v <= hi) {
            out[Math.toIntExact(v - lo)] = e;
          }
          v++;
        }
      }
    }
    return out;
  }

  /**
   * The stored form of each entry's event (null where its row is gone), every row read once, all
   * in one {@code getAll}. Entries of one row sit next to each other in $all.
   */
  public static List<byte[]> bodies(Transaction tx, EventKeys keys, List<AllEntry> entries) {
    if (entries.isEmpty()) {
      return List.of();
    }
    List<byte[]> rowKeys = new ArrayList<>(entries.size());
    int[] rowOf = new int[entries.size()];
    AllEntry prev = null;
    for (int i = 0; i < entries.size(); i++) {
      AllEntry e = entries.get(i);
      if (prev == null || prev.rowFirst() != e.rowFirst() || !prev.stream().equals(e.stream())) {
        rowKeys.add(keys.event(e.stream(), e.rowFirst()));
      }
      rowOf[i] = rowKeys.size() - 1;
      prev = e;
    }
    List<byte[]> rows = tx.getAll(rowKeys);
    List<byte[]> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      byte[] row = rows.get(rowOf[i]);
      out.add(row == null ? null : eventAt(row, entries.get(i).indexInRow()));
    }
    return out;
  }

  /** The stored form of one entry's event, or null where its row is gone. */
  public static byte[] body(Transaction tx, EventKeys keys, AllEntry entry) {
    byte[] row = tx.get(keys.event(entry.stream(), entry.rowFirst()));
    return row == null ? null : eventAt(row, entry.indexInRow());
  }

  /**
   * Removes the rows of {@code stream} whose events are all below {@code before}. A row holding
   * {@code before} and events below it is cut there: its events from {@code before} on move to a
   * row at {@code before}, with a $all entry at {@code before}'s position (the caller removed the
   * $all entries of the versions below {@code before} first, the cut row's with them), so that
   * every row keeps one entry standing for exactly its events. A row whose position is not
   * visible yet (appended in this transaction) is left whole; readers of the stream skip the
   * versions below its truncation point.
   */
  public static void removeBelow(Transaction tx, EventKeys keys, String stream, long before) {
    try (KeyValueCursor c = tx.scan(keys.events(stream, 0, before + 1), ScanOptions.REVERSE.withLimit(1))) {
      if (c.hasNext()) {
        KeyValue kv = c.next();
        long first = keys.versionOf(kv.key());
        if (first < before && first + count(kv.value()) > before) {
          io.tito.Stamp at = StreamPositions.load(tx, keys, stream, before, before).positionOf(before);
          if (at == null) {
            tx.clearRange(keys.events(stream, 0, first));
            return;
          }
          List<byte[]> kept = events(kv.value());
          kept = kept.subList(Math.toIntExact(before - first), kept.size());
          List<String> types = new ArrayList<>(kept.size());
          for (byte[] e : kept) {
            types.add(StoredEvent.decode(e).type());
          }
          tx.set(keys.event(stream, before), encode(kept));
          tx.set(at.appendTo(keys.allPrefix()), AllEntry.encode(stream, before, types));
        }
      }
    }
    tx.clearRange(keys.events(stream, 0, before));
  }
}
