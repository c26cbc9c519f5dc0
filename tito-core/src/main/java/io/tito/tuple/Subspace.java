package io.tito.tuple;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import java.util.Arrays;
import java.util.Map;

/**
 * A key prefix, usually a packed tuple, under which keys are tuples: {@code key = prefix +
 * tuple.pack()}. FoundationDB subspace semantics.
 *
 * <p>Ranges, for a subspace with prefix {@code P}:
 * <ul>
 *   <li>{@link #range()}: {@code [P + 0x00, P + 0xFF)} - every key {@code P + t.pack()} for a
 *       non-empty tuple {@code t}; the bare key {@code P} is <em>not</em> included.
 *   <li>{@link #range(Tuple) range(x)}: {@code [P + x.pack() + 0x00, P + x.pack() + 0xFF)} -
 *       keys of tuples that strictly extend {@code x}; the key {@code pack(x)} is not included.
 *   <li>{@link #rangeStartingWith(Tuple) rangeStartingWith(x)}: {@code [P + x.pack(), P +
 *       x.pack() + 0xFF)} - the same plus the key {@code pack(x)} itself, i.e. every tuple that
 *       starts with the elements of {@code x}, including {@code x}.
 *   <li>{@link #rawRange()}: {@code [P, strinc(P))} - every key with the byte prefix {@code P},
 *       including {@code P} itself and keys that are not tuples.
 * </ul>
 * {@link #contains(byte[])} is the plain byte-prefix test, so it is true for {@code P} itself.
 *
 * <p>Beware: {@link #pack(Object...)}, {@link #subspace(Object...)} and {@link #of(Object...)}
 * take elements, so a {@link Tuple} passed among them (or typed as Object) becomes one nested
 * element; the overloads taking a {@code Tuple} append its elements.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Subspace {

  private final byte[] prefix;

  /**
   * The subspace whose prefix is {@code prefix.pack()}.
   *
   * @throws InvalidArgumentException if {@code prefix} is null
   */
  public Subspace(Tuple prefix) {
    this(requireTuple(prefix).packedBytes());
  }

  /**
   * The subspace with a raw byte prefix (copied); the empty prefix is the whole key space.
   *
   * @throws InvalidArgumentException if {@code rawPrefix} is null
   */
  public Subspace(byte[] rawPrefix) {
    if (rawPrefix == null) {
      throw new InvalidArgumentException("subspace prefix must not be null", Map.of());
    }
    this.prefix = rawPrefix.clone();
  }

  /**
   * The subspace whose prefix is {@code Tuple.of(elements).pack()}.
   *
   * @throws InvalidArgumentException if an element is unsupported
   */
  public static Subspace of(Object... elements) {
    return new Subspace(Tuple.of(elements));
  }

  /** A copy of the prefix. */
  public byte[] key() {
    return prefix.clone();
  }

  /**
   * The key {@code prefix + tuple.pack()}.
   *
   * @throws InvalidArgumentException if {@code tuple} is null
   */
  public byte[] pack(Tuple tuple) {
    return requireTuple(tuple).packAfter(prefix);
  }

  /**
   * The key {@code prefix + Tuple.of(elements).pack()}.
   *
   * @throws InvalidArgumentException if an element is unsupported
   */
  public byte[] pack(Object... elements) {
    return pack(Tuple.of(elements));
  }

  /**
   * The tuple packed after the prefix; the bare prefix gives the empty tuple. Error offsets are
   * positions in {@code key}.
   *
   * @throws InvalidArgumentException if the key is null, does not start with the prefix, or its
   *     rest is not a valid tuple encoding
   */
  public Tuple unpack(byte[] key) {
    if (!contains(key)) {
      throw new InvalidArgumentException("key is not in the subspace",
          Map.of("key", ByteArrays.printable(key), "prefix", ByteArrays.printable(prefix)));
    }
    return Tuple.unpack(key, prefix.length, key.length - prefix.length);
  }

  /** Whether {@code key} starts with the prefix (true for the prefix itself; false for null). */
  public boolean contains(byte[] key) {
    return key != null && ByteArrays.startsWith(key, prefix);
  }

  /**
   * The subspace with prefix {@code pack(tuple)}.
   *
   * @throws InvalidArgumentException if {@code tuple} is null
   */
  public Subspace subspace(Tuple tuple) {
    return new Subspace(pack(tuple));
  }

  /**
   * The subspace with prefix {@code pack(elements)}.
   *
   * @throws InvalidArgumentException if an element is unsupported
   */
  public Subspace subspace(Object... elements) {
    return subspace(Tuple.of(elements));
  }

  /** Keys strictly inside: {@code [prefix + 0x00, prefix + 0xFF)}; excludes the bare prefix. */
  public KeyRange range() {
    return strictlyAfter(prefix);
  }

  /**
   * Keys of tuples that strictly extend {@code prefix}: {@code [pack(prefix) + 0x00,
   * pack(prefix) + 0xFF)}. Excludes the key {@code pack(prefix)}; see {@link
   * #rangeStartingWith(Tuple)} to include it.
   *
   * @throws InvalidArgumentException if {@code prefix} is null
   */
  public KeyRange range(Tuple prefix) {
    return strictlyAfter(pack(prefix));
  }

  /**
   * Keys of tuples that start with the elements of {@code prefix}, including the key {@code
   * pack(prefix)} itself: {@code [pack(prefix), pack(prefix) + 0xFF)}.
   *
   * @throws InvalidArgumentException if {@code prefix} is null
   */
  public KeyRange rangeStartingWith(Tuple prefix) {
    byte[] begin = pack(prefix);
    return new KeyRange(begin, ByteArrays.concat(begin, new byte[] {(byte) 0xFF}));
  }

  /**
   * Every key with this byte prefix, tuple or not, including the prefix itself: {@code [prefix,
   * strinc(prefix))}.
   *
   * @throws InvalidArgumentException if the prefix is empty or all {@code 0xFF} (no end exists)
   */
  public KeyRange rawRange() {
    return new KeyRange(prefix, ByteArrays.strinc(prefix));
  }

  private static KeyRange strictlyAfter(byte[] key) {
    return new KeyRange(ByteArrays.concat(key, new byte[] {0x00}),
        ByteArrays.concat(key, new byte[] {(byte) 0xFF}));
  }

  private static Tuple requireTuple(Tuple t) {
    if (t == null) {
      throw new InvalidArgumentException("tuple must not be null", Map.of());
    }
    return t;
  }

  /** Equal when the prefixes are equal bytes. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Subspace s && Arrays.equals(prefix, s.prefix);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(prefix);
  }

  /** The prefix printably, with its tuple when it is one: {@code Subspace(\x15\x01 = (1))}. */
  @Override
  public String toString() {
    String raw = ByteArrays.printable(prefix);
    try {
      return "Subspace(" + raw + " = " + Tuple.unpack(prefix) + ")";
    } catch (InvalidArgumentException notATuple) {
      return "Subspace(" + raw + ")";
    }
  }
}
