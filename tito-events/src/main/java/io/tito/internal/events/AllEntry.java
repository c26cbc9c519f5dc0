package io.tito.internal.events;

import io.tito.tuple.Tuple;
import io.tito.tuple.TupleWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One event as a $all entry names it: its stream, version and type (for filters), and the first
 * version of the {@linkplain EventRows row} holding it. A $all entry stands for the events of one
 * row: its key holds the stamp of the row's first event, which takes one order per event ({@link
 * io.tito.Transaction#setStamped(byte[], byte[], int)}), so the row's event {@code i} sits at
 * {@code (version, order + i)}. Its value is {@code (stream, first version, type 1, ..., type
 * n)}; an entry of one event is {@code (stream, version, type)}, as every entry was before rows
 * held several events.
 */
public record AllEntry(String stream, long version, String type, long rowFirst) {

  /** The event's index within its row (and its entry). */
  public long indexInRow() {
    return version - rowFirst;
  }

  /** The entry of one row's events (see {@link #encoder}). */
  public static byte[] encode(String stream, long first, List<String> types) {
    return encoder(stream).encode(first, types);
  }

  /** The events an entry stands for, in position order. */
  public static List<AllEntry> decode(byte[] bytes) {
    Tuple t = Tuple.unpack(bytes);
    String stream = t.getString(0);
    long first = t.getLong(1);
    List<AllEntry> out = new ArrayList<>(t.size() - 2);
    for (int i = 2; i < t.size(); i++) {
      out.add(new AllEntry(stream, first + i - 2, t.getString(i), first));
    }
    return out;
  }

  /** How many events (positions) an entry stands for. */
  public static int count(byte[] bytes) {
    return Tuple.unpack(bytes).size() - 2;
  }

  /**
   * The encodings of the entries of one stream's rows, the stream's name encoded once: {@code
   * encoder(s).encode(f, types)} is {@code encode(s, f, types)}.
   */
  public static Encoder encoder(String stream) {
    return new Encoder(Tuple.of(stream).pack());
  }

  /** Encodes entries of one stream (see {@link #encoder(String)}). */
  public static final class Encoder {
    private final byte[] stream;

    private Encoder(byte[] stream) {
      this.stream = stream;
    }

    /** The entry of the row whose events, from version {@code first}, have {@code types}. */
    public byte[] encode(long first, List<String> types) {
      int size = 9;
      for (String type : types) {
        size += 2 + type.length();
      }
      TupleWriter w = new TupleWriter(stream, size).add(first);
      for (String type : types) {
        w.add(type);
      }
      return w.toBytes();
    }
  }
}
