package io.tito.data;

import java.util.ArrayList;
import java.util.List;

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

  /**
   * The values of several stored values at once, as a query page or a multi-key read needs them:
   * element {@code i} of the answer equals {@code decode(all.get(i))}, and when one of them
   * cannot be decoded, this throws what {@link #decode} throws for the first such one. The
   * default decodes them one by one; a codec may override it to share per-call set-up between
   * the values. The arrays are not changed.
   */
  default List<T> decodeAll(List<byte[]> all) {
    List<T> out = new ArrayList<>(all.size());
    for (byte[] bytes : all) {
      out.add(decode(bytes));
    }
    return out;
  }
}
