package io.tito.internal.events;

import io.tito.tuple.Tuple;
import io.tito.tuple.TupleWriter;

/** The value of a $all entry: which stream event the position holds, and its type (for filters). */
public record AllEntry(String stream, long version, String type) {

  public byte[] encode() {
    return Tuple.of(stream, version, type).pack();
  }

  /**
   * The encodings of the entries of one stream's events, the stream's name encoded once: {@code
   * encoder(s).encode(v, t)} is {@code new AllEntry(s, v, t).encode()}.
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

    /** {@code new AllEntry(stream, version, type).encode()}. */
    public byte[] encode(long version, String type) {
      return new TupleWriter(stream, 11 + type.length()).add(version).add(type).toBytes();
    }
  }

  public static AllEntry decode(byte[] bytes) {
    Tuple t = Tuple.unpack(bytes);
    return new AllEntry(t.getString(0), t.getLong(1), t.getString(2));
  }
}
