package io.tito.log;

/**
 * One record read from the log: its dense offset (0, 1, 2, ... in append order) and its payload.
 * The payload array is the reader's own copy.
 *
 * @param offset the record's position in the log
 * @param payload the bytes appended
 */
public record LogRecord(long offset, byte[] payload) {

  /** The payload decoded by {@code codec}. */
  public <T> T value(RecordCodec<T> codec) {
    return codec.decode(payload);
  }
}
