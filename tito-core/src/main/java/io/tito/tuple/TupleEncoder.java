package io.tito.tuple;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Writes normalised tuple elements in the FoundationDB tuple encoding (plus Tito's instant code).
 * One instance encodes one tuple; not thread-safe, never shared.
 */
final class TupleEncoder {

  static final int NULL = 0x00;
  static final int BYTES = 0x01;
  static final int STRING = 0x02;
  static final int NESTED = 0x05;
  static final int NEG_BIG_INT = 0x0b;
  static final int INT_ZERO = 0x14;
  static final int POS_BIG_INT = 0x1d;
  static final int FLOAT = 0x20;
  static final int DOUBLE = 0x21;
  static final int FALSE = 0x26;
  static final int TRUE = 0x27;
  static final int UUID_CODE = 0x30;
  /** Tito-specific: the first of FDB's user type codes (0x40-0x4f), so no FDB type clashes. */
  static final int INSTANT = 0x40;
  static final int ESCAPE = 0xFF;
  /** Longest magnitude, in bytes, of an arbitrary-precision integer (its length is one byte). */
  static final int MAX_BIG_INT_BYTES = 255;

  private byte[] buf;
  private int len;

  /**
   * An encoder that starts with {@code prefix} and has room for exactly {@code extra} more bytes
   * (it grows if more are written).
   */
  TupleEncoder(byte[] prefix, int extra) {
    buf = Arrays.copyOf(prefix, prefix.length + extra);
    len = prefix.length;
  }

  /**
   * The bytes written so far, in a fresh array: the buffer itself the first time it is asked for
   * exactly full (a later write grows into a new buffer first, so that array never changes
   * afterwards), else a trimmed copy.
   */
  byte[] toBytes() {
    if (len == buf.length && !handedOut) {
      handedOut = true;
      return buf;
    }
    return Arrays.copyOf(buf, len);
  }

  /** Whether {@link #toBytes} returned {@link #buf} itself (reset when it grows). */
  private boolean handedOut;

  /** Encodes already normalised elements (see {@link TupleElements#normalize}). */
  static byte[] encode(Object[] elements) {
    return encode(EMPTY, elements);
  }

  private static final byte[] EMPTY = new byte[0];

  /**
   * {@code prefix} followed by the encoding of already normalised elements, built in one buffer
   * of the exact size (measured first: no growth copies, no final trim, no UTF-8 copy of ASCII
   * strings).
   */
  static byte[] encode(byte[] prefix, Object[] elements) {
    long size = prefix.length;
    for (Object e : elements) {
      size += size(e, false);
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("tuple encoding larger than 2 GiB");
    }
    TupleEncoder enc = new TupleEncoder(prefix, (int) size - prefix.length);
    for (Object e : elements) {
      enc.element(e, false);
    }
    return enc.len == enc.buf.length ? enc.buf : Arrays.copyOf(enc.buf, enc.len);
  }

  /** The encoded size of one normalised element ({@code nested}: inside a nested tuple). */
  private static long size(Object e, boolean nested) {
    return switch (e) {
      case null -> nested ? 2 : 1;
      case byte[] b -> 2L + b.length + zeros(b);
      case String s -> 2L + stringSize(s);
      case Tuple t -> {
        long n = 2;
        for (Object inner : t.elements()) {
          n += size(inner, true);
        }
        yield n;
      }
      case Long l -> l == 0 ? 1 : 1 + byteLength(l < 0 ? -l : l);
      case BigInteger big -> {
        int n = (big.abs().bitLength() + 7) / 8;
        yield n <= 8 ? 1 + n : 2 + n;
      }
      case Float f -> 5;
      case Double d -> 9;
      case Boolean b -> 1;
      case UUID u -> 17;
      case Instant i -> 13;
      default -> throw new IllegalStateException("not a normalised element: " + e.getClass());
    };
  }

  /**
   * The escaped UTF-8 size of an ASCII string (its length plus one per NUL, each escaped), or for
   * any other string an upper bound: three bytes per char, which covers every UTF-8 encoding Java
   * produces (a surrogate pair takes two chars for four bytes), escapes included (a NUL is one
   * char for two bytes).
   */
  private static long stringSize(String s) {
    int n = s.length();
    long size = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return 3L * n;
      }
      if (c == 0) {
        size++;
      }
    }
    return size;
  }

  /** Eight bytes of an array as one little-endian word. */
  private static final java.lang.invoke.VarHandle WORDS = java.lang.invoke.MethodHandles
      .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;
  /** Eight escaped NULs (0x00 0xFF each) as two little-endian words' worth: one word is four. */
  private static final long ESCAPED_NULS = 0xFF00FF00FF00FF00L;

  /**
   * The high bit of each byte of {@code w} that is zero, and no other bit: exact (no carry
   * crosses a byte, since the low seven bits are added to 0x7F before the high bit is looked at).
   */
  private static long zeroBytes(long w) {
    return ~(((w & LOW_SEVEN) + LOW_SEVEN) | w | LOW_SEVEN);
  }

  /** How many bytes of {@code b} are zero, counted eight at a time. */
  static int zeros(byte[] b) {
    int zeros = 0;
    int i = 0;
    for (; i + Long.BYTES <= b.length; i += Long.BYTES) {
      zeros += Long.bitCount(zeroBytes((long) WORDS.get(b, i)));
    }
    for (; i < b.length; i++) {
      if (b[i] == 0) {
        zeros++;
      }
    }
    return zeros;
  }

  void element(Object e, boolean nested) {
    switch (e) {
      case null -> {
        put(NULL);
        if (nested) {
          put(ESCAPE);
        }
      }
      case byte[] b -> {
        put(BYTES);
        escaped(b);
      }
      case String s -> {
        put(STRING);
        string(s);
      }
      case Tuple t -> {
        put(NESTED);
        for (Object inner : t.elements()) {
          element(inner, true);
        }
        put(NULL);
      }
      case Long l -> integer(l);
      case BigInteger big -> bigInteger(big);
      case Float f -> {
        put(FLOAT);
        int bits = Float.floatToRawIntBits(f);
        bits = bits < 0 ? ~bits : bits ^ Integer.MIN_VALUE;
        bigEndian(bits & 0xFFFFFFFFL, 4);
      }
      case Double d -> {
        put(DOUBLE);
        long bits = Double.doubleToRawLongBits(d);
        bigEndian(bits < 0 ? ~bits : bits ^ Long.MIN_VALUE, 8);
      }
      case Boolean b -> put(b ? TRUE : FALSE);
      case UUID u -> {
        put(UUID_CODE);
        bigEndian(u.getMostSignificantBits(), 8);
        bigEndian(u.getLeastSignificantBits(), 8);
      }
      case Instant i -> {
        put(INSTANT);
        bigEndian(i.getEpochSecond() ^ Long.MIN_VALUE, 8);
        bigEndian(i.getNano(), 4);
      }
      default -> throw new IllegalStateException("not a normalised element: " + e.getClass());
    }
  }

  /** Integer codes 0x0c..0x1c: one's complement for negatives, minimal length. */
  void integer(long v) {
    if (v == 0) {
      put(INT_ZERO);
      return;
    }
    long magnitude = v < 0 ? -v : v; // unsigned; -Long.MIN_VALUE is 2^63 as unsigned bits
    int n = byteLength(magnitude);
    put(v < 0 ? INT_ZERO - n : INT_ZERO + n);
    bigEndian(v < 0 ? ~magnitude : magnitude, n);
  }

  /** Integers outside the long range: 0x0c/0x1c up to 8 bytes, then 0x0b/0x1d with a length. */
  private void bigInteger(BigInteger v) {
    byte[] magnitude = magnitudeBytes(v.abs());
    int n = magnitude.length;
    boolean negative = v.signum() < 0;
    if (negative) {
      for (int i = 0; i < n; i++) {
        magnitude[i] = (byte) ~magnitude[i];
      }
    }
    if (n <= 8) {
      put(negative ? INT_ZERO - n : INT_ZERO + n);
    } else if (negative) {
      put(NEG_BIG_INT);
      put(n ^ 0xFF);
    } else {
      put(POS_BIG_INT);
      put(n);
    }
    ensure(n);
    System.arraycopy(magnitude, 0, buf, len, n);
    len += n;
  }

  /** The minimal big-endian bytes of a non-negative number. */
  static byte[] magnitudeBytes(BigInteger nonNegative) {
    byte[] raw = nonNegative.toByteArray();
    int n = (nonNegative.bitLength() + 7) / 8;
    return Arrays.copyOfRange(raw, raw.length - n, raw.length);
  }

  private static int byteLength(long unsignedMagnitude) {
    return (64 - Long.numberOfLeadingZeros(unsignedMagnitude) + 7) / 8;
  }

  /** Writes bytes with 0x00 escaped as 0x00 0xFF, then the 0x00 terminator. */
  void escaped(byte[] b) {
    int zeros = zeros(b);
    ensure(b.length + zeros + 1);
    if (zeros == 0) {
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    } else if (zeros == b.length) {
      escapedNuls(b.length);
    } else {
      escapedMixed(b);
    }
    buf[len++] = NULL;
  }

  /** Writes {@code n} escaped NULs (room ensured). */
  private void escapedNuls(int n) {
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      WORDS.set(buf, len, ESCAPED_NULS);
      len += Long.BYTES;
    }
    for (; i < n; i++) {
      buf[len++] = 0;
      buf[len++] = (byte) ESCAPE;
    }
  }

  /**
   * Writes {@code b} with each 0x00 as 0x00 0xFF (room ensured), eight bytes at a time where a
   * word has no zero byte or only zero bytes.
   */
  private void escapedMixed(byte[] b) {
    int i = 0;
    for (; i + Long.BYTES <= b.length; i += Long.BYTES) {
      long w = (long) WORDS.get(b, i);
      long z = zeroBytes(w);
      if (z == 0) {
        WORDS.set(buf, len, w);
        len += Long.BYTES;
      } else if (w == 0) {
        WORDS.set(buf, len, ESCAPED_NULS);
        WORDS.set(buf, len + Long.BYTES, ESCAPED_NULS);
        len += 2 * Long.BYTES;
      } else {
        for (int j = i; j < i + Long.BYTES; j++) {
          buf[len++] = b[j];
          if (b[j] == 0) {
            buf[len++] = (byte) ESCAPE;
          }
        }
      }
    }
    for (; i < b.length; i++) {
      buf[len++] = b[i];
      if (b[i] == 0) {
        buf[len++] = (byte) ESCAPE;
      }
    }
  }

  /** An ASCII string written char by char (escaped), any other through its UTF-8 bytes. */
  private void string(String s) {
    int n = s.length();
    int zeros = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        escaped(s.getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (c == 0) {
        zeros++;
      }
    }
    ensure(n + zeros + 1);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      buf[len++] = (byte) c;
      if (c == 0) {
        buf[len++] = (byte) ESCAPE;
      }
    }
    buf[len++] = NULL;
  }

  void bigEndian(long v, int n) {
    ensure(n);
    for (int i = n - 1; i >= 0; i--) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
  }

  void put(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
      handedOut = false;
    }
  }
}
