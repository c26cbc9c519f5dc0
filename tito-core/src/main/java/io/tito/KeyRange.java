package io.tito;

import java.util.Arrays;
import java.util.Map;

/**
 * A range of keys in unsigned byte order: {@code begin} inclusive, {@code end} exclusive.
 * Immutable; the arrays are copied on construction and on access.
 *
 * @throws InvalidArgumentException from the constructor if either bound is null or begin > end
 */
public record KeyRange(byte[] begin, byte[] end) {

  /** The whole key space: from the empty key up to (not including) {@code 0xFF}. */
  public static final KeyRange ALL = new KeyRange(new byte[0], new byte[] {(byte) 0xFF});

  public KeyRange {
    if (begin == null || end == null) {
      throw new InvalidArgumentException("range bounds must not be null",
          Map.of("setting", begin == null ? "begin" : "end"));
    }
    if (ByteArrays.compare(begin, end) > 0) {
      throw new InvalidArgumentException("range begin is after its end",
          Map.of("begin", ByteArrays.printable(begin), "end", ByteArrays.printable(end)));
    }
    begin = begin.clone();
    end = end.clone();
  }

  /** The range of every key that starts with {@code prefix} (excluding the prefix itself only if empty). */
  public static KeyRange startsWith(byte[] prefix) {
    return new KeyRange(prefix, ByteArrays.strinc(prefix));
  }

  @Override
  public byte[] begin() {
    return begin.clone();
  }

  @Override
  public byte[] end() {
    return end.clone();
  }

  /** Whether {@code key} lies in this range. */
  public boolean contains(byte[] key) {
    return ByteArrays.compare(begin, key) <= 0 && ByteArrays.compare(key, end) < 0;
  }

  /** Whether the range holds no key at all (begin equals end). */
  public boolean isEmpty() {
    return Arrays.equals(begin, end);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRange r && Arrays.equals(begin, r.begin) && Arrays.equals(end, r.end);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(begin) + Arrays.hashCode(end);
  }

  @Override
  public String toString() {
    return "[" + ByteArrays.printable(begin) + ", " + ByteArrays.printable(end) + ")";
  }
}
