package io.tito.internal.events;

import io.tito.tuple.Tuple;

/**
 * A stream's header: its version (last event's; 0 none), the first version still stored (events
 * below were truncated), and whether it was deleted. Absent header: a stream never written.
 */
public record StreamHeader(long version, long truncatedBefore, boolean deleted) {

  public static final StreamHeader NEW = new StreamHeader(0, 1, false);

  public byte[] encode() {
    return Tuple.of(version, truncatedBefore, deleted).pack();
  }

  /** The header stored at {@code bytes}, or {@link #NEW} for null. */
  public static StreamHeader decode(byte[] bytes) {
    if (bytes == null) {
      return NEW;
    }
    Tuple t = Tuple.unpack(bytes);
    return new StreamHeader(t.getLong(0), t.getLong(1), t.getBoolean(2));
  }
}
