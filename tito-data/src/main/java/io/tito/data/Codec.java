package io.tito.data;

/**
 * Turns a model's values into bytes and back. The default codec of a model is {@link JsonCodec}
 * (Jackson JSON); a custom codec makes {@link ModelStore#patch} unavailable unless it is a
 * {@link JsonCodec}.
 *
 * <p>Implementations must be thread-safe and deterministic enough that {@code decode(encode(v))}
 * equals {@code v} in every field an index or the id reads. They should throw
 * {@link io.tito.InvalidArgumentException} for values or bytes they cannot handle.
 *
 * @param <T> the model type
 */
public interface Codec<T> {

  /** The bytes of {@code value}; never null. */
  byte[] encode(T value);

  /** The value of {@code bytes}, as written by {@link #encode}. */
  T decode(byte[] bytes);
}
