package io.tito.tuple;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of tuple elements of every supported type, with edge cases emphasised, for the
 * property tests. Elements are produced in caller form (Integer, Short, List, non-canonical NaN,
 * small BigInteger...) so that normalisation is exercised too.
 */
final class TupleArbitraries {

  private TupleArbitraries() {}

  // ---- bytes -------------------------------------------------------------------------------

  static Arbitrary<byte[]> bytes() {
    Arbitrary<Byte> special = Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x7F, (byte) 0x80,
        (byte) 0xFE, (byte) 0xFF);
    Arbitrary<byte[]> small = special.list().ofMaxSize(6).map(TupleArbitraries::toBytes);
    Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(24);
    return TupleArbitraries.<byte[]>weighted(
        3, small, 2, any, 1, Arbitraries.just(new byte[0]))
        .map(byte[]::clone);
  }

  private static byte[] toBytes(List<Byte> list) {
    byte[] b = new byte[list.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = list.get(i);
    }
    return b;
  }

  // ---- strings -----------------------------------------------------------------------------

  /** Valid strings: few-code-point alphabets (shared prefixes, \0, every UTF-8 width, pairs). */
  static Arbitrary<String> strings() {
    Arbitrary<Integer> special = Arbitraries.of(0x00, 0x01, (int) 'a', (int) 'b', 0x7F, 0x80,
        0xFF, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF);
    Arbitrary<Integer> anyCodePoint = Arbitraries.integers().between(0, 0x10FFFF)
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
    Arbitrary<String> small = special.list().ofMaxSize(6).map(TupleArbitraries::fromCodePoints);
    Arbitrary<String> any = anyCodePoint.list().ofMaxSize(12).map(TupleArbitraries::fromCodePoints);
    Arbitrary<String> ascii = Arbitraries.strings().withCharRange('\0', '\u007f').ofMaxLength(8);
    return weighted(3, small, 2, any, 1, ascii);
  }

  private static String fromCodePoints(List<Integer> cps) {
    StringBuilder sb = new StringBuilder();
    cps.forEach(sb::appendCodePoint);
    return sb.toString();
  }

  // ---- integers ----------------------------------------------------------------------------

  /** Long, Integer, Short, Byte and BigInteger values, byte-width boundaries emphasised. */
  static Arbitrary<Object> integers() {
    return weighted(
        3, boundaryIntegers(),
        3, Arbitraries.longs().map(l -> (Object) l),
        1, Arbitraries.integers().between(-300, 300).map(i -> (Object) i),
        1, Arbitraries.integers().map(i -> (Object) i),
        1, Arbitraries.shorts().map(s -> (Object) s),
        1, Arbitraries.bytes().map(b -> (Object) b),
        2, bigIntegers().map(b -> (Object) b));
  }

  /** +-(2^(8k) + d) for d in -1..1, k in 0..256, as Long when they fit, else BigInteger. */
  static Arbitrary<Object> boundaryIntegers() {
    List<Object> values = new ArrayList<>();
    for (int k = 0; k <= 255; k++) {
      BigInteger p = BigInteger.ONE.shiftLeft(8 * k);
      for (int d = -1; d <= 1; d++) {
        for (BigInteger v : List.of(p.add(BigInteger.valueOf(d)),
            p.add(BigInteger.valueOf(d)).negate())) {
          if (v.abs().bitLength() <= 8 * 255) {
            values.add(v.bitLength() <= 63 ? (Object) v.longValue() : v);
          }
        }
      }
    }
    values.add(BigInteger.ONE.shiftLeft(63)); // Long.MAX_VALUE + 1
    values.add(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE)); // MIN - 1
    values.add(Long.MIN_VALUE);
    values.add(Long.MAX_VALUE);
    values.add(BigInteger.valueOf(Long.MIN_VALUE)); // normalised to Long
    return Arbitraries.of(values);
  }

  /** Any magnitude the encoding allows (up to 255 bytes), either sign, often tiny. */
  static Arbitrary<BigInteger> bigIntegers() {
    Arbitrary<Integer> bits = weighted(
        3, Arbitraries.integers().between(0, 80),
        1, Arbitraries.integers().between(0, 8 * 255));
    return Combinators.combine(bits, Arbitraries.longs(), Arbitraries.of(true, false))
        .as((n, seed, negative) -> {
          BigInteger v = new BigInteger(n, new java.util.Random(seed));
          return negative ? v.negate() : v;
        });
  }

  // ---- floating point ----------------------------------------------------------------------

  static Arbitrary<Double> doubles() {
    Arbitrary<Double> special = Arbitraries.of(Double.NaN,
        Double.longBitsToDouble(0xfff8000000000000L),
        Double.longBitsToDouble(0x7ff0000000000001L), Double.longBitsToDouble(0xffffffffffffffffL),
        Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
        -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, 1.0, -1.0);
    return weighted(
        2, special,
        2, Arbitraries.longs().map(Double::longBitsToDouble),
        1, Arbitraries.integers().between(-3, 3).map(i -> (double) i),
        1, Arbitraries.doubles());
  }

  static Arbitrary<Float> floats() {
    Arbitrary<Float> special = Arbitraries.of(Float.NaN, Float.intBitsToFloat(0xffc00000),
        Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffffffff),
        Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0.0f, 0.0f, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, 1.0f, -1.0f);
    return weighted(
        2, special,
        2, Arbitraries.integers().map(Float::intBitsToFloat),
        1, Arbitraries.integers().between(-3, 3).map(i -> (float) i),
        1, Arbitraries.floats());
  }

  // ---- the rest ----------------------------------------------------------------------------

  static Arbitrary<UUID> uuids() {
    Arbitrary<Long> halves = weighted(
        1, Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L),
        2, Arbitraries.longs());
    return Combinators.combine(halves, halves).as(UUID::new);
  }

  static Arbitrary<Instant> instants() {
    long min = Instant.MIN.getEpochSecond();
    long max = Instant.MAX.getEpochSecond();
    Arbitrary<Long> seconds = weighted(
        1, Arbitraries.of(min, max, 0L, -1L, 1L),
        1, Arbitraries.longs().between(-3, 3),
        2, Arbitraries.longs().between(min, max));
    Arbitrary<Integer> nanos = weighted(
        1, Arbitraries.of(0, 1, 999_999_999),
        2, Arbitraries.integers().between(0, 999_999_999));
    return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
  }

  static Arbitrary<Boolean> booleans() {
    return Arbitraries.of(true, false);
  }

  /** Any non-nested element, including null. */
  static Arbitrary<Object> scalar() {
    return Arbitraries.oneOf(
        bytes().map(o -> (Object) o), strings().map(o -> (Object) o), integers(),
        doubles().map(o -> (Object) o), floats().map(o -> (Object) o),
        booleans().map(o -> (Object) o), uuids().map(o -> (Object) o),
        instants().map(o -> (Object) o)).injectNull(0.08);
  }

  /** Any element, nested Tuples and Lists up to {@code depth} levels. */
  static Arbitrary<Object> element(int depth) {
    if (depth == 0) {
      return scalar();
    }
    Arbitrary<List<Object>> inner = Arbitraries.lazy(() -> element(depth - 1)).list().ofMaxSize(4);
    return weighted(
        8, scalar(),
        1, inner.map(l -> (Object) Tuple.fromList(l)),
        1, inner.map(l -> (Object) l));
  }

  /** Mixed tuples of up to 5 elements, nested up to 2 levels. */
  static Arbitrary<Tuple> tuples() {
    return element(2).list().ofMaxSize(5).map(Tuple::fromList);
  }

  /** Elements from a tiny domain, so that equal elements and deep comparisons are common. */
  static Arbitrary<Object> smallElement(int depth) {
    Arbitrary<Object> small = Arbitraries.of(Tuple.of(null, 0L, -1L, 1L, 255L, 256L, -256L,
        BigInteger.ONE.shiftLeft(64), "", "a", "\0", "\uD83D\uDE00", "\uFFFF", new byte[0],
        new byte[] {0}, new byte[] {(byte) 0xFF}, 0.0, -0.0, Double.NaN, 0.0f, true, false,
        new UUID(0, 0), new UUID(-1, 0), Instant.EPOCH, Tuple.EMPTY).items());
    if (depth == 0) {
      return small;
    }
    Arbitrary<List<Object>> inner = Arbitraries.lazy(() -> smallElement(depth - 1))
        .list().ofMaxSize(3);
    return weighted(6, small,
        1, inner.map(l -> (Object) Tuple.fromList(l)));
  }

  static Arbitrary<Tuple> smallTuples() {
    return smallElement(2).list().ofMaxSize(4).map(Tuple::fromList);
  }

  /** Pairs (a, b) where b often shares a prefix of a's elements. */
  static Arbitrary<List<Tuple>> pairs(Arbitrary<Tuple> tuples) {
    return Combinators.combine(tuples, tuples, Arbitraries.integers().between(0, 5))
        .as((a, b, k) -> {
          List<Object> shared = new ArrayList<>(a.items().subList(0, Math.min(k, a.size())));
          shared.addAll(b.items());
          return List.of(a, Tuple.fromList(shared));
        });
  }

  /** Chooses among arbitraries by weight: {@code weighted(3, a, 1, b)}. */
  @SuppressWarnings("unchecked")
  private static <T> Arbitrary<T> weighted(Object... weightsAndArbitraries) {
    List<net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<T>>> choices = new ArrayList<>();
    for (int i = 0; i < weightsAndArbitraries.length; i += 2) {
      choices.add(net.jqwik.api.Tuple.of((Integer) weightsAndArbitraries[i],
          (Arbitrary<T>) weightsAndArbitraries[i + 1]));
    }
    return Arbitraries.frequencyOf(choices);
  }
}
