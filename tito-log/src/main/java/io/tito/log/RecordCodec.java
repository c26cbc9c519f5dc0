package io.tito.log;

/**
 * Turns values into record payloads and back, for {@link LogProducer#append(Object, RecordCodec)}
 * and {@link LogRecord#value(RecordCodec)}. Implementations must be thread-safe.
 */
public interface RecordCodec<T> {

  /** The payload for {@code value}. */
  byte[] encode(T value);

  /** The value of {@code payload}. */
  T decode(byte[] payload);
}
