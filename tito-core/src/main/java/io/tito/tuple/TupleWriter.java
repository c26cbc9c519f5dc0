package io.tito.tuple;

import java.util.UUID;

/**
 * Writes a tuple's encoding element by element, without building a {@link Tuple}: for hot paths
 * that pack a tuple once and drop it. {@code new TupleWriter(p, n).add(a).add(b).toBytes()} is
 * byte for byte {@code new Subspace(p).pack(a, b)} (with an empty prefix: {@code Tuple.of(a,
 * b).pack()}), and every element is checked as {@link Tuple#of} checks it (the same {@link
 * io.tito.InvalidArgumentException}s). Not thread-safe; one writer builds one key or value.
 */
public final class TupleWriter {

  private final TupleEncoder encoder;

  /**
   * A writer whose output starts with the raw bytes {@code prefix} (copied; e.g. a {@link
   * Subspace#key()}), with room for about {@code expectedBytes} more (a hint: it grows as needed).
   *
   * @throws io.tito.InvalidArgumentException if {@code prefix} is null
   */
  public TupleWriter(byte[] prefix, int expectedBytes) {
    if (prefix == null) {
      throw new io.tito.InvalidArgumentException("tuple writer prefix must not be null", java.util.Map.of());
    }
    this.encoder = new TupleEncoder(prefix, Math.max(expectedBytes, 8));
  }

  /** Appends an integer element. */
  public TupleWriter add(long value) {
    encoder.integer(value);
    return this;
  }

  /**
   * Appends a string element, or the null element for null.
   *
   * @throws io.tito.InvalidArgumentException if the string has an unpaired surrogate
   */
  public TupleWriter add(String value) {
    encoder.element(value == null ? null : TupleElements.checkString(value), false);
    return this;
  }

  /** Appends a byte-string element (encoded now, not kept), or the null element for null. */
  public TupleWriter add(byte[] value) {
    encoder.element(value, false);
    return this;
  }

  /** Appends a UUID element, or the null element for null. */
  public TupleWriter add(UUID value) {
    encoder.element(value, false);
    return this;
  }

  /**
   * Appends any element {@link Tuple#of} accepts (a {@link Tuple} or a list: a nested tuple),
   * normalised as it does.
   *
   * @throws io.tito.InvalidArgumentException if the element is unsupported or invalid
   */
  public TupleWriter addObject(Object value) {
    encoder.element(TupleElements.normalize(value, 0), false);
    return this;
  }

  /**
   * Appends every element of {@code tuple} (not as one nested element: {@code
   * add...(a).addAll(Tuple.of(b, c))} writes what {@code add...(a), b, c} would). Its elements
   * were checked and normalised when it was built, so nothing is checked or copied again.
   *
   * @throws io.tito.InvalidArgumentException if {@code tuple} is null
   */
  public TupleWriter addAll(Tuple tuple) {
    if (tuple == null) {
      throw new io.tito.InvalidArgumentException("tuple must not be null", java.util.Map.of());
    }
    for (Object e : tuple.elements()) {
      encoder.element(e, false);
    }
    return this;
  }

  /** The prefix and the elements written so far, in a fresh array. */
  public byte[] toBytes() {
    return encoder.toBytes();
  }
}
