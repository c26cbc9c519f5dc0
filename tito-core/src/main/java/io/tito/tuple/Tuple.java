package io.tito.tuple;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import io.tito.KeyRange;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable, ordered list of elements that packs to bytes whose unsigned lexicographic order
 * is the tuple order: for any tuples {@code a} and {@code b}, {@code
 * Arrays.compareUnsigned(a.pack(), b.pack())} has the sign of {@code a.compareTo(b)}.
 *
 * <p><b>Elements</b> (stored in a normalised form, which is what getters, {@link #equals},
 * {@link #compareTo} and {@link #unpack} see):
 * <ul>
 *   <li>{@code null}
 *   <li>{@code byte[]} (copied in and out)
 *   <li>{@link String} (must be valid UTF-16: unpaired surrogates are rejected)
 *   <li>{@link Long}, {@link Integer}, {@link Short}, {@link Byte} - stored as {@code Long}
 *   <li>{@link BigInteger} with a magnitude of at most 255 bytes - stored as {@code Long} when it
 *       fits, so integers are equal and ordered by value whatever their Java type
 *   <li>{@link Float} and {@link Double} - every NaN becomes the canonical NaN ({@link
 *       Float#NaN}, {@link Double#NaN}); {@code -0.0} and {@code 0.0} stay distinct. Float and
 *       Double are different types: {@code 1.0f} is not equal to {@code 1.0d}
 *   <li>{@link Boolean}, {@link UUID}, {@link Instant}
 *   <li>nested {@code Tuple}; a {@link List} is stored as a nested tuple of its elements
 * </ul>
 * Anything else is rejected with {@link InvalidArgumentException}. Nesting is limited to {@link
 * #MAX_DEPTH} levels.
 *
 * <p><b>Encoding</b>: the FoundationDB tuple layer (design/tuple.md), byte for byte:
 * {@code 0x00} null (inside a nested tuple {@code 0x00 0xFF}); {@code 0x01} bytes and {@code
 * 0x02} UTF-8 strings, with {@code 0x00} escaped as {@code 0x00 0xFF} and a {@code 0x00}
 * terminator; {@code 0x05} nested tuple ended by {@code 0x00}; {@code 0x0c..0x1c} integers of up
 * to 8 bytes ({@code 0x14} is zero, negatives in one's complement); {@code 0x0b}/{@code 0x1d}
 * larger negative/positive integers (a length byte, flipped for negatives, then 9..255 bytes);
 * {@code 0x20} float and {@code 0x21} double (big-endian IEEE with the sign bit flipped for
 * positives and all bits flipped for negatives); {@code 0x26} false, {@code 0x27} true; {@code
 * 0x30} UUID (16 bytes big-endian).
 *
 * <p><b>Tito extension</b>: an {@link Instant} is encoded as type code {@code 0x40} (the first of
 * FDB's user type codes {@code 0x40..0x4f}, which FDB promises never to use for standard types),
 * then the epoch second as a big-endian signed 64-bit number with its sign bit flipped, then the
 * nano-of-second as a big-endian 32-bit number. FDB bindings cannot read tuples holding instants.
 *
 * <p><b>Order</b> ({@link #compareTo}): element by element, a tuple that is a prefix of another
 * first. Types in type-code order: null &lt; bytes &lt; string &lt; nested tuple &lt; integer
 * &lt; float &lt; double &lt; boolean &lt; UUID &lt; instant. Within a type: bytes unsigned
 * lexicographic; strings by code point (not {@link String#compareTo}); integers by value; floats
 * and doubles by IEEE total order ({@code -inf < ... < -0.0 < 0.0 < ... < inf < NaN}); false
 * &lt; true; UUIDs as unsigned 128-bit numbers (not {@link UUID#compareTo}); instants
 * chronologically; nested tuples recursively.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Tuple implements Comparable<Tuple> {

  /** The greatest nesting depth of tuples within a tuple. */
  public static final int MAX_DEPTH = 256;

  /** The tuple with no elements; packs to the empty array. */
  public static final Tuple EMPTY = new Tuple(new Object[0], 0);

  private final Object[] elements;
  private final int depth;
  private volatile byte[] packed;
  private int hash;

  /** Trusted: {@code elements} are normalised and owned, {@code depth} is their nesting depth. */
  Tuple(Object[] elements, int depth) {
    this.elements = elements;
    this.depth = depth;
  }

  /**
   * A tuple of the given elements, normalised (see the class documentation). {@code
   * Tuple.of(null)} is a tuple holding one null.
   *
   * @throws InvalidArgumentException if an element has an unsupported type or value
   */
  public static Tuple of(Object... elements) {
    return elements == null ? new Tuple(new Object[] {null}, 0)
        : TupleElements.tuple(elements, 0);
  }

  /**
   * A tuple of the list's elements, normalised (a nested list becomes a nested tuple).
   *
   * @throws InvalidArgumentException if the list is null or an element is unsupported
   */
  public static Tuple fromList(List<?> elements) {
    if (elements == null) {
      throw new InvalidArgumentException("tuple element list must not be null", Map.of());
    }
    return TupleElements.tuple(elements.toArray(), 0);
  }

  /**
   * Decodes a whole array packed by {@link #pack()} (or any FDB binding, for the FDB types).
   *
   * @throws InvalidArgumentException if the bytes are not exactly one valid tuple encoding
   *     (truncated, unknown type code, invalid UTF-8, unterminated, non-minimal integer, trailing
   *     bytes that are no element); the context holds the {@code offset} and the {@code bytes}
   */
  public static Tuple unpack(byte[] bytes) {
    if (bytes == null) {
      throw new InvalidArgumentException("bytes to unpack must not be null", Map.of());
    }
    return TupleDecoder.decode(bytes, 0, bytes.length);
  }

  /**
   * Decodes {@code bytes[offset, offset + length)}; offsets in errors are absolute in the array.
   *
   * @throws InvalidArgumentException if the slice is out of bounds or not a valid encoding
   */
  public static Tuple unpack(byte[] bytes, int offset, int length) {
    if (bytes == null || offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new InvalidArgumentException("slice to unpack is out of bounds",
          Map.of("offset", offset, "length", length,
              "arrayLength", bytes == null ? -1 : bytes.length));
    }
    return TupleDecoder.decode(bytes, offset, length);
  }

  /** The encoding of this tuple (a fresh array), whose unsigned order is the tuple order. */
  public byte[] pack() {
    byte[] p = packed;
    // Not cached here: most tuples are packed once, and caching would cost a second copy.
    return p != null ? p.clone() : TupleEncoder.encode(elements);
  }

  /** {@code prefix} followed by this tuple's encoding, in a fresh array. */
  byte[] packAfter(byte[] prefix) {
    byte[] p = packed;
    return p != null ? ByteArrays.concat(prefix, p) : TupleEncoder.encode(prefix, elements);
  }

  byte[] packedBytes() {
    byte[] p = packed;
    if (p == null) {
      p = TupleEncoder.encode(elements);
      packed = p;
    }
    return p;
  }

  /**
   * Every key packed from a tuple that strictly extends this one: {@code pack() + 0x00} inclusive
   * to {@code pack() + 0xFF} exclusive. The key {@code pack()} itself is not in the range.
   */
  public KeyRange range() {
    byte[] p = packedBytes();
    return new KeyRange(ByteArrays.concat(p, new byte[] {0x00}),
        ByteArrays.concat(p, new byte[] {(byte) 0xFF}));
  }

  /**
   * A new tuple with {@code element} appended (a Tuple or List is appended as one nested element).
   *
   * @throws InvalidArgumentException if the element is unsupported
   */
  public Tuple add(Object element) {
    Object e = TupleElements.normalize(element, 0);
    Object[] out = Arrays.copyOf(elements, elements.length + 1);
    out[elements.length] = e;
    return new Tuple(out, e instanceof Tuple t ? Math.max(depth, t.depth + 1) : depth);
  }

  /** A new tuple with the elements of {@code other} appended; null counts as empty. */
  public Tuple addAll(Tuple other) {
    if (other == null || other.elements.length == 0) {
      return this;
    }
    Object[] out = Arrays.copyOf(elements, elements.length + other.elements.length);
    System.arraycopy(other.elements, 0, out, elements.length, other.elements.length);
    return new Tuple(out, Math.max(depth, other.depth));
  }

  /**
   * A new tuple with the list's elements appended.
   *
   * @throws InvalidArgumentException if the list is null or an element is unsupported
   */
  public Tuple addAll(List<?> more) {
    return addAll(fromList(more));
  }

  /** The number of elements. */
  public int size() {
    return elements.length;
  }

  /** Whether the tuple has no elements. */
  public boolean isEmpty() {
    return elements.length == 0;
  }

  /** The normalised elements as an unmodifiable list (byte arrays are copies). */
  public List<Object> items() {
    List<Object> out = new ArrayList<>(elements.length);
    for (Object e : elements) {
      out.add(e instanceof byte[] b ? b.clone() : e);
    }
    return Collections.unmodifiableList(out);
  }

  /** The stored array, not copied: package use only, never modify. */
  Object[] elements() {
    return elements;
  }

  /** The nesting depth: 0 when no element is a tuple. */
  int depth() {
    return depth;
  }

  /**
   * The normalised element at {@code index} (byte arrays are copies).
   *
   * @throws InvalidArgumentException if the index is out of range
   */
  public Object get(int index) {
    Object e = at(index);
    return e instanceof byte[] b ? b.clone() : e;
  }

  /**
   * Whether the element at {@code index} is null.
   *
   * @throws InvalidArgumentException if the index is out of range
   */
  public boolean isNull(int index) {
    return at(index) == null;
  }

  /**
   * The string at {@code index}, or null.
   *
   * @throws InvalidArgumentException if the index is out of range or the element has another
   *     type
   */
  public String getString(int index) {
    return typed(index, String.class, false);
  }

  /**
   * A copy of the byte string at {@code index}, or null.
   *
   * @throws InvalidArgumentException if the index is out of range or the element has another
   *     type
   */
  public byte[] getBytes(int index) {
    byte[] b = typed(index, byte[].class, false);
    return b == null ? null : b.clone();
  }

  /**
   * The integer at {@code index}.
   *
   * @throws InvalidArgumentException if the index is out of range or the element is null, not
   *     an integer, or an integer outside the long range
   */
  public long getLong(int index) {
    return typed(index, Long.class, true);
  }

  /**
   * The integer at {@code index} (any magnitude), or null.
   *
   * @throws InvalidArgumentException if the index is out of range or the element has another
   *     type
   */
  public BigInteger getBigInteger(int index) {
    Object e = at(index);
    if (e instanceof Long l) {
      return BigInteger.valueOf(l);
    }
    return typed(index, BigInteger.class, false);
  }

  /**
   * The double at {@code index}.
   *
   * @throws InvalidArgumentException if the index is out of range or the element is null or
   *     not a Double
   */
  public double getDouble(int index) {
    return typed(index, Double.class, true);
  }

  /**
   * The float at {@code index}.
   *
   * @throws InvalidArgumentException if the index is out of range or the element is null or
   *     not a Float
   */
  public float getFloat(int index) {
    return typed(index, Float.class, true);
  }

  /**
   * The boolean at {@code index}.
   *
   * @throws InvalidArgumentException if the index is out of range or the element is null or
   *     not a Boolean
   */
  public boolean getBoolean(int index) {
    return typed(index, Boolean.class, true);
  }

  /**
   * The UUID at {@code index}, or null.
   *
   * @throws InvalidArgumentException if the index is out of range or the element has another
   *     type
   */
  public UUID getUuid(int index) {
    return typed(index, UUID.class, false);
  }

  /**
   * The instant at {@code index}, or null.
   *
   * @throws InvalidArgumentException if the index is out of range or the element has another
   *     type
   */
  public Instant getInstant(int index) {
    return typed(index, Instant.class, false);
  }

  /**
   * The nested tuple at {@code index}, or null.
   *
   * @throws InvalidArgumentException if the index is out of range or the element has another
   *     type
   */
  public Tuple getNested(int index) {
    return typed(index, Tuple.class, false);
  }

  private Object at(int index) {
    if (index < 0 || index >= elements.length) {
      throw new InvalidArgumentException("tuple index out of range",
          Map.of("index", index, "size", elements.length));
    }
    return elements[index];
  }

  private <T> T typed(int index, Class<T> type, boolean primitive) {
    Object e = at(index);
    if (e == null && !primitive) {
      return null;
    }
    if (!type.isInstance(e)) {
      throw new InvalidArgumentException("tuple element has another type",
          Map.of("index", index, "expected", type.getSimpleName(),
              "actual", e == null ? "null" : e.getClass().getSimpleName()));
    }
    return type.cast(e);
  }

  /** The tuple order described in the class documentation; consistent with {@link #equals}. */
  @Override
  public int compareTo(Tuple other) {
    int n = Math.min(elements.length, other.elements.length);
    for (int i = 0; i < n; i++) {
      int c = TupleElements.compare(elements[i], other.elements[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(elements.length, other.elements.length);
  }

  /** Equal when the normalised elements are equal by value (byte arrays by content). */
  @Override
  public boolean equals(Object o) {
    return this == o
        || o instanceof Tuple t && elements.length == t.elements.length && compareTo(t) == 0;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 1;
      for (Object e : elements) {
        h = 31 * h + TupleElements.hash(e);
      }
      hash = h;
    }
    return h;
  }

  /** A readable form such as {@code ("a", 1, b"\x00", null, 1.5f, (true))}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < elements.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      TupleElements.format(elements[i], sb);
    }
    return sb.append(')').toString();
  }
}
