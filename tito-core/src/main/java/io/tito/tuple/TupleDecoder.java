package io.tito.tuple;

import static io.tito.tuple.TupleEncoder.BYTES;
import static io.tito.tuple.TupleEncoder.DOUBLE;
import static io.tito.tuple.TupleEncoder.ESCAPE;
import static io.tito.tuple.TupleEncoder.FALSE;
import static io.tito.tuple.TupleEncoder.FLOAT;
import static io.tito.tuple.TupleEncoder.INSTANT;
import static io.tito.tuple.TupleEncoder.INT_ZERO;
import static io.tito.tuple.TupleEncoder.NEG_BIG_INT;
import static io.tito.tuple.TupleEncoder.NESTED;
import static io.tito.tuple.TupleEncoder.NULL;
import static io.tito.tuple.TupleEncoder.POS_BIG_INT;
import static io.tito.tuple.TupleEncoder.STRING;
import static io.tito.tuple.TupleEncoder.TRUE;
import static io.tito.tuple.TupleEncoder.UUID_CODE;

import io.tito.ByteArrays;
import io.tito.InvalidArgumentException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the tuple encoding written by {@link TupleEncoder}. Every malformation is reported as an
 * {@link InvalidArgumentException} with the absolute offset of the problem and a printable form of
 * the input. Integers must use their minimal encoding (the only one FDB writes); NaNs of any
 * payload are read as the canonical NaN. One instance decodes one input; not thread-safe.
 */
final class TupleDecoder {

  private static final long MAX_INSTANT_SECOND = Instant.MAX.getEpochSecond();
  private static final long MIN_INSTANT_SECOND = Instant.MIN.getEpochSecond();
  private static final int NANOS_PER_SECOND = 1_000_000_000;

  private final byte[] data;
  private final int start;
  private final int end;
  private int pos;

  private TupleDecoder(byte[] data, int start, int end) {
    this.data = data;
    this.start = start;
    this.end = end;
    this.pos = start;
  }

  /** Decodes {@code data[offset, offset + length)}; bounds must already be checked. */
  static Tuple decode(byte[] data, int offset, int length) {
    return new TupleDecoder(data, offset, offset + length).tuple(0, offset);
  }

  /**
   * Reads elements until the end of input (level 0) or the nested terminator (level > 0);
   * {@code at} is where the tuple's encoding starts (its 0x05 code when nested).
   */
  private Tuple tuple(int level, int at) {
    List<Object> out = new ArrayList<>();
    int depth = 0;
    while (true) {
      if (pos >= end) {
        if (level > 0) {
          throw malformed("malformed tuple: unterminated nested tuple", at);
        }
        break;
      }
      if (level > 0 && u(pos) == NULL) {
        if (pos + 1 < end && u(pos + 1) == ESCAPE) {
          out.add(null);
          pos += 2;
          continue;
        }
        pos++;
        break;
      }
      Object e = element(level);
      if (e instanceof Tuple t) {
        depth = Math.max(depth, t.depth() + 1);
      }
      out.add(e);
    }
    return new Tuple(out.toArray(), depth);
  }

  private Object element(int level) {
    int at = pos;
    int code = u(pos++);
    switch (code) {
      case NULL:
        return null;
      case BYTES:
        return escaped(at, "malformed tuple: unterminated byte string");
      case STRING:
        return utf8(escaped(at, "malformed tuple: unterminated string"), at);
      case NESTED:
        if (level + 1 > Tuple.MAX_DEPTH) {
          throw malformed("malformed tuple: nesting is too deep", at, "maxDepth", Tuple.MAX_DEPTH);
        }
        return tuple(level + 1, at);
      case NEG_BIG_INT, POS_BIG_INT:
        return bigInteger(code, at);
      case FLOAT:
        return readFloat(at);
      case DOUBLE:
        return readDouble(at);
      case FALSE:
        return Boolean.FALSE;
      case TRUE:
        return Boolean.TRUE;
      case UUID_CODE:
        return new UUID(fixed(8, at), fixed(8, at));
      case INSTANT:
        return instant(at);
      default:
        if (code >= INT_ZERO - 8 && code <= INT_ZERO + 8) {
          return integer(code, at);
        }
        throw malformed("malformed tuple: unknown type code", at,
            "typeCode", String.format("0x%02x", code));
    }
  }

  /** Codes 0x0c..0x1c: up to 8 bytes, one's complement for negatives, minimal length. */
  private Object integer(int code, int at) {
    int n = Math.abs(code - INT_ZERO);
    if (n == 0) {
      return 0L;
    }
    boolean negative = code < INT_ZERO;
    long raw = fixed(n, at);
    long magnitude = negative ? ~raw & (-1L >>> (64 - 8 * n)) : raw;
    if (magnitude >>> (8 * (n - 1)) == 0) {
      throw malformed("malformed tuple: non-minimal integer encoding", at);
    }
    if (magnitude >= 0) {
      return negative ? -magnitude : magnitude;
    }
    if (negative && magnitude == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    BigInteger big = new BigInteger(Long.toUnsignedString(magnitude));
    return negative ? big.negate() : big;
  }

  /** Codes 0x0b/0x1d: a length byte (flipped for negatives) and 9..255 magnitude bytes. */
  private Object bigInteger(int code, int at) {
    need(1, at);
    boolean negative = code == NEG_BIG_INT;
    int n = negative ? u(pos) ^ 0xFF : u(pos);
    pos++;
    need(n, at);
    byte[] magnitude = Arrays.copyOfRange(data, pos, pos + n);
    pos += n;
    if (negative) {
      for (int i = 0; i < n; i++) {
        magnitude[i] = (byte) ~magnitude[i];
      }
    }
    if (n <= 8 || magnitude[0] == 0) {
      throw malformed("malformed tuple: non-minimal integer encoding", at);
    }
    BigInteger big = new BigInteger(1, magnitude);
    return negative ? big.negate() : big;
  }

  private Float readFloat(int at) {
    int bits = (int) fixed(4, at);
    bits = bits < 0 ? bits ^ Integer.MIN_VALUE : ~bits;
    float f = Float.intBitsToFloat(bits);
    return Float.isNaN(f) ? Float.NaN : f;
  }

  private Double readDouble(int at) {
    long bits = fixed(8, at);
    bits = bits < 0 ? bits ^ Long.MIN_VALUE : ~bits;
    double d = Double.longBitsToDouble(bits);
    return Double.isNaN(d) ? Double.NaN : d;
  }

  private Instant instant(int at) {
    long seconds = fixed(8, at) ^ Long.MIN_VALUE;
    long nanos = fixed(4, at);
    if (seconds < MIN_INSTANT_SECOND || seconds > MAX_INSTANT_SECOND
        || nanos >= NANOS_PER_SECOND) {
      throw malformed("malformed tuple: instant out of range", at,
          "epochSecond", seconds, "nanos", nanos);
    }
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /**
   * Reads a 0x00-terminated run in which 0x00 0xFF stands for 0x00: one pass finds the terminator
   * and counts the escapes, then the output is allocated at its exact size and filled by copying
   * the runs between escapes (one copy when there are none).
   */
  private byte[] escaped(int at, String unterminated) {
    int escapes = 0;
    int stop = pos;
    while (true) {
      if (stop >= end) {
        throw malformed(unterminated, at);
      }
      if (data[stop] == NULL) {
        if (stop + 1 < end && u(stop + 1) == ESCAPE) {
          escapes++;
          stop += 2;
          continue;
        }
        break;
      }
      stop++;
    }
    byte[] out = new byte[stop - pos - escapes];
    if (escapes == 0) {
      System.arraycopy(data, pos, out, 0, out.length);
    } else {
      int o = 0;
      int from = pos;
      for (int i = pos; i < stop; i++) {
        if (data[i] == NULL) { // 0x00 0xFF: keep the 0x00, skip the 0xFF
          int run = i + 1 - from;
          System.arraycopy(data, from, out, o, run);
          o += run;
          i++;
          from = i + 1;
        }
      }
      System.arraycopy(data, from, out, o, stop - from);
    }
    pos = stop + 1;
    return out;
  }

  private String utf8(byte[] bytes, int at) {
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, StandardCharsets.ISO_8859_1); // ASCII: always valid UTF-8
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidArgumentException("malformed tuple: string is not valid UTF-8",
          context(at), e);
    }
  }

  /** Reads an n-byte big-endian unsigned number (n <= 8). */
  private long fixed(int n, int at) {
    need(n, at);
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | u(pos++);
    }
    return v;
  }

  private void need(int n, int at) {
    if (end - pos < n) {
      throw malformed("malformed tuple: truncated value", at,
          "typeCode", String.format("0x%02x", u(at)), "needed", n, "available", end - pos);
    }
  }

  private int u(int i) {
    return data[i] & 0xFF;
  }

  private InvalidArgumentException malformed(String message, int at, Object... extra) {
    Map<String, Object> ctx = context(at);
    for (int i = 0; i < extra.length; i += 2) {
      ctx.put((String) extra[i], extra[i + 1]);
    }
    return new InvalidArgumentException(message, ctx);
  }

  /** The offset of the malformed element (absolute in the array) and the whole input. */
  private Map<String, Object> context(int at) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("offset", at);
    ctx.put("bytes", ByteArrays.printable(Arrays.copyOfRange(data, start, end)));
    return ctx;
  }
}
