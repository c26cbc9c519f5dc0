package io.tito;

import java.util.Map;

/**
 * A commit-ordered stamp, filled in by the engine when a transaction that wrote a
 * {@linkplain Transaction#setStamped stamped key} commits: the transaction's commit version and
 * the write's order within the transaction. Stamps are unique, and below a snapshot's
 * {@linkplain Transaction#stampHorizon() stamp horizon} they are final: a reader whose snapshot
 * has horizon {@code H} holds every stamped key below {@code H} that will ever exist (no
 * transaction can later commit one below it). Above the horizon a snapshot may hold some stamped
 * keys and not yet others below them (engines that commit in parallel); engines whose stamps are
 * already in visibility order have the horizon {@link #MAX}. They are not dense: numbers between
 * two stamps may never be used.
 *
 * <p>Encoded as {@value #LENGTH} bytes: the commit version as an unsigned big-endian 64-bit number,
 * then the order as an unsigned big-endian 16-bit number, so byte order is stamp order.
 *
 * @param commitVersion the version of the committing transaction (positive)
 * @param order the write's order within its transaction, {@code 0..}{@value #MAX_ORDER}
 */
public record Stamp(long commitVersion, int order) implements Comparable<Stamp> {

  /** Encoded length in bytes. */
  public static final int LENGTH = 10;
  /** The highest order: a transaction writes at most {@code MAX_ORDER + 1} stamped keys. */
  public static final int MAX_ORDER = 0xFFFF;
  /** Below every stamp an engine gives out. */
  public static final Stamp ZERO = new Stamp(0, 0);
  /**
   * Above every stamp an engine gives out: the {@linkplain Transaction#stampHorizon() horizon} of
   * engines whose stamps are in visibility order (every visible stamp is final).
   */
  public static final Stamp MAX = new Stamp(Long.MAX_VALUE, MAX_ORDER);

  /**
   * @throws InvalidArgumentException if {@code commitVersion} is negative or {@code order} out of range
   */
  public Stamp {
    if (commitVersion < 0 || order < 0 || order > MAX_ORDER) {
      throw new InvalidArgumentException("stamp out of range",
          Map.of("commitVersion", commitVersion, "order", order));
    }
  }

  /** The {@value #LENGTH}-byte encoding. */
  public byte[] toBytes() {
    byte[] out = new byte[LENGTH];
    writeTo(out, 0);
    return out;
  }

  /** Writes the encoding into {@code target} at {@code offset}. */
  public void writeTo(byte[] target, int offset) {
    long v = commitVersion;
    for (int i = 7; i >= 0; i--) {
      target[offset + i] = (byte) v;
      v >>>= 8;
    }
    target[offset + 8] = (byte) (order >>> 8);
    target[offset + 9] = (byte) order;
  }

  /**
   * Decodes the {@value #LENGTH} bytes at {@code offset} of {@code source}.
   *
   * @throws InvalidArgumentException if fewer bytes are there
   */
  public static Stamp fromBytes(byte[] source, int offset) {
    if (source == null || offset < 0 || source.length - offset < LENGTH) {
      throw new InvalidArgumentException("not a stamp: too few bytes",
          Map.of("offset", offset, "length", source == null ? -1 : source.length));
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (source[offset + i] & 0xFF);
    }
    int order = ((source[offset + 8] & 0xFF) << 8) | (source[offset + 9] & 0xFF);
    return new Stamp(v, order);
  }

  /** The key {@code prefix + stamp}. */
  public byte[] appendTo(byte[] prefix) {
    byte[] key = java.util.Arrays.copyOf(prefix, prefix.length + LENGTH);
    writeTo(key, prefix.length);
    return key;
  }

  /** The next stamp in byte order ({@code order + 1}, or the next version's first). */
  public Stamp next() {
    return order < MAX_ORDER ? new Stamp(commitVersion, order + 1) : new Stamp(commitVersion + 1, 0);
  }

  @Override
  public int compareTo(Stamp o) {
    int c = Long.compareUnsigned(commitVersion, o.commitVersion);
    return c != 0 ? c : Integer.compare(order, o.order);
  }

  @Override
  public String toString() {
    return commitVersion + "." + order;
  }
}
