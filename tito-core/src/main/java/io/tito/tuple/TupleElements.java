package io.tito.tuple;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Element-level rules of {@link Tuple}: normalisation, the reference order, equality, hashing and
 * printing. The order here is written from the element values, independently of the encoding, so
 * that tests can check the two against each other. Stateless and thread-safe.
 */
final class TupleElements {

  private static final long LONG_MIN_BITS = 63;

  private TupleElements() {}

  /**
   * Converts a caller's element to its canonical stored form: integers of every width to Long,
   * BigIntegers that fit to Long, every NaN to the canonical NaN, Lists to nested tuples, byte
   * arrays copied.
   *
   * @param level nesting level of the tuple this element will belong to (top level is 0)
   * @throws InvalidArgumentException for unsupported types, strings that are not valid UTF-16,
   *     integers over 255 bytes and nesting deeper than {@link Tuple#MAX_DEPTH}
   */
  static Object normalize(Object e, int level) {
    return switch (e) {
      case null -> null;
      case byte[] b -> b.clone();
      case String s -> checkString(s);
      case Long l -> l;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case BigInteger big -> normalizeBig(big);
      case Double d -> Double.isNaN(d) ? Double.NaN : d;
      case Float f -> Float.isNaN(f) ? Float.NaN : f;
      case Boolean b -> b;
      case UUID u -> u;
      case Instant i -> i;
      case Tuple t -> {
        if (level + 1 + t.depth() > Tuple.MAX_DEPTH) {
          throw tooDeep();
        }
        yield t;
      }
      case List<?> list -> tuple(list.toArray(), level + 1);
      default -> throw new InvalidArgumentException("unsupported tuple element type",
          Map.of("class", e.getClass().getName()));
    };
  }

  /** A tuple of {@code raw}'s normalised elements; the tuple sits at nesting {@code level}. */
  static Tuple tuple(Object[] raw, int level) {
    if (level > Tuple.MAX_DEPTH) {
      throw tooDeep();
    }
    Object[] out = new Object[raw.length];
    int depth = 0;
    for (int i = 0; i < raw.length; i++) {
      out[i] = normalize(raw[i], level);
      if (out[i] instanceof Tuple t) {
        depth = Math.max(depth, t.depth() + 1);
      }
    }
    return new Tuple(out, depth);
  }

  static InvalidArgumentException tooDeep() {
    return new InvalidArgumentException("tuple nesting is too deep",
        Map.of("maxDepth", Tuple.MAX_DEPTH));
  }

  private static Object normalizeBig(BigInteger big) {
    if (big.bitLength() <= LONG_MIN_BITS) {
      return big.longValue();
    }
    int bytes = (big.abs().bitLength() + 7) / 8;
    if (bytes > TupleEncoder.MAX_BIG_INT_BYTES) {
      throw new InvalidArgumentException("integer is too large for the tuple encoding",
          Map.of("magnitudeBytes", bytes, "maxBytes", TupleEncoder.MAX_BIG_INT_BYTES));
    }
    return big;
  }

  /** Rejects unpaired surrogates: they have no UTF-8 form and would not round-trip. */
  static String checkString(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < Character.MIN_SURROGATE) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new InvalidArgumentException("string element contains an unpaired surrogate",
            Map.of("charIndex", i));
      }
    }
    return s;
  }

  /** Rank of the element's type in tuple order: the order of the FDB type codes. */
  private static int rank(Object e) {
    return switch (e) {
      case null -> 0;
      case byte[] b -> 1;
      case String s -> 2;
      case Tuple t -> 3;
      case Long l -> 4;
      case BigInteger b -> 4;
      case Float f -> 5;
      case Double d -> 6;
      case Boolean b -> 7;
      case UUID u -> 8;
      case Instant i -> 9;
      default -> throw new IllegalStateException("not a normalised element: " + e.getClass());
    };
  }

  /** The reference order of two normalised elements. */
  static int compare(Object a, Object b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    return switch (a) {
      case null -> 0;
      case byte[] x -> Arrays.compareUnsigned(x, (byte[]) b);
      case String s -> compareCodePoints(s, (String) b);
      case Tuple t -> t.compareTo((Tuple) b);
      case Long l when b instanceof Long m -> Long.compare(l, m);
      case Float f -> Float.compare(f, (Float) b);
      case Double d -> Double.compare(d, (Double) b);
      case Boolean x -> Boolean.compare(x, (Boolean) b);
      case UUID u -> compareUuids(u, (UUID) b);
      case Instant i -> i.compareTo((Instant) b);
      default -> toBig(a).compareTo(toBig(b)); // Long/BigInteger mix
    };
  }

  private static BigInteger toBig(Object integer) {
    return integer instanceof Long l ? BigInteger.valueOf(l) : (BigInteger) integer;
  }

  /** Unicode code point order, which is also the order of the UTF-8 bytes. */
  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** UUIDs as unsigned 128-bit big-endian numbers (UUID.compareTo is signed). */
  private static int compareUuids(UUID a, UUID b) {
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0
        ? c
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  static int hash(Object e) {
    return switch (e) {
      case null -> 0;
      case byte[] b -> Arrays.hashCode(b);
      default -> e.hashCode();
    };
  }

  /** Appends a readable form: strings quoted, byte strings as b"..", floats with an f suffix. */
  static void format(Object e, StringBuilder sb) {
    switch (e) {
      case null -> sb.append("null");
      case byte[] b -> sb.append("b\"").append(ByteArrays.printable(b)).append('"');
      case String s -> quote(s, sb);
      case Float f -> sb.append(f).append('f');
      default -> sb.append(e);
    }
  }

  private static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7F) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
