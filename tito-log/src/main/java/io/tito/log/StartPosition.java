package io.tito.log;

import io.tito.InvalidArgumentException;
import java.util.Map;

/** Where an at-least-once consumer starts reading. */
public sealed interface StartPosition {

  /** The oldest record still retained. */
  static StartPosition oldest() {
    return Oldest.INSTANCE;
  }

  /** The next record appended after the consumer opens (skipping everything already there). */
  static StartPosition latest() {
    return Latest.INSTANCE;
  }

  /**
   * The record at {@code offset}: at most the log's end offset; below the oldest retained record
   * the consumer starts at the oldest one.
   *
   * @throws InvalidArgumentException if {@code offset} is negative
   */
  static StartPosition at(long offset) {
    return new At(offset);
  }

  /** See {@link #oldest()}. */
  enum Oldest implements StartPosition {
    /** The only value. */
    INSTANCE
  }

  /** See {@link #latest()}. */
  enum Latest implements StartPosition {
    /** The only value. */
    INSTANCE
  }

  /**
   * See {@link #at(long)}.
   *
   * @param offset the first record to read
   */
  record At(long offset) implements StartPosition {
    /** @throws InvalidArgumentException if {@code offset} is negative */
    public At {
      if (offset < 0) {
        throw new InvalidArgumentException("start offset must not be negative",
            Map.of("offset", offset));
      }
    }
  }
}
