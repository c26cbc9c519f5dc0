package io.tito.internal.events;

import io.tito.tuple.Tuple;

/** The value of a $all entry: which stream event the position holds, and its type (for filters). */
public record AllEntry(String stream, long version, String type) {

  public byte[] encode() {
    return Tuple.of(stream, version, type).pack();
  }

  public static AllEntry decode(byte[] bytes) {
    Tuple t = Tuple.unpack(bytes);
    return new AllEntry(t.getString(0), t.getLong(1), t.getString(2));
  }
}
