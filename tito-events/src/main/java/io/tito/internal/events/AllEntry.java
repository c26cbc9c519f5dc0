package io.tito.internal.events;

import io.tito.tuple.Tuple;
import io.tito.tuple.TupleWriter;

/**
 * The value of a $all entry: which stream event the position holds, its type (for filters), and
 * the first version of the {@linkplain EventRows row} holding it. Encoded as {@code (stream,
 * version, type)} when the event starts its row (every entry written before rows held several
 * events), else {@code (stream, version, type, version - rowFirst)}.
 */
public record AllEntry(String stream, long version, String type, long rowFirst) {

  public byte[] encode() {
    return rowFirst == version ? Tuple.of(stream, version, type).pack()
        : Tuple.of(stream, version, type, version - rowFirst).pack();
  }

  /** The event's index within its row. */
  public long indexInRow() {
    return version - rowFirst;
  }

  /**
   * The encodings of the entries of one stream's events, the stream's name encoded once: {@code
   * encoder(s).encode(v, t, f)} is {@code new AllEntry(s, v, t, f).encode()}.
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

    /** {@code new AllEntry(stream, version, type, rowFirst).encode()}. */
    public byte[] encode(long version, String type, long rowFirst) {
      TupleWriter w = new TupleWriter(stream, 20 + type.length()).add(version).add(type);
      return version == rowFirst ? w.toBytes() : w.add(version - rowFirst).toBytes();
    }
  }

  public static AllEntry decode(byte[] bytes) {
    Tuple t = Tuple.unpack(bytes);
    long version = t.getLong(1);
    return new AllEntry(t.getString(0), version, t.getString(2), t.size() > 3 ? version - t.getLong(3) : version);
  }
}
