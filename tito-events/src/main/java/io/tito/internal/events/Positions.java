package io.tito.internal.events;

import io.tito.Stamp;

/**
 * $all positions as the consumer core's {@code long} log positions: {@code commitVersion << 16 |
 * order}. The packing keeps order, and {@code packed + 1} is {@link Stamp#next()}, so the core's
 * checkpoint ("next position to read": last consumed + 1) maps back to a stamp. Commit versions
 * up to 2^47 - 1 fit (at a million commits a second, over four years of commits).
 */
public final class Positions {

  /** Highest commit version that packs. */
  public static final long MAX_VERSION = (1L << 47) - 1;

  private Positions() {}

  /**
   * The packed form of {@code s}.
   *
   * @throws IllegalStateException if its commit version is above {@link #MAX_VERSION}
   */
  public static long pack(Stamp s) {
    if (s.commitVersion() > MAX_VERSION) {
      throw new IllegalStateException("commit version too high for a consumer position: " + s);
    }
    return (s.commitVersion() << 16) | s.order();
  }

  /** The stamp of a packed position (non-negative). */
  public static Stamp unpack(long packed) {
    return new Stamp(packed >>> 16, (int) (packed & 0xFFFF));
  }

  /** The last consumed stamp of a checkpoint (next position to read), or {@link Stamp#ZERO}. */
  public static Stamp consumedBefore(long checkpoint) {
    return checkpoint <= 0 ? Stamp.ZERO : unpack(checkpoint - 1);
  }
}
