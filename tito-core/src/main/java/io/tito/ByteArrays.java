package io.tito;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/** Helpers for keys as byte arrays in unsigned lexicographic order. Stateless and thread-safe. */
public final class ByteArrays {

  /** Unsigned lexicographic order, the order of every engine's keys. */
  public static final Comparator<byte[]> COMPARATOR = ByteArrays::compare;

  private ByteArrays() {}

  /** Compares two arrays as unsigned bytes, shorter-prefix first. */
  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /**
   * The first key that sorts after every key starting with {@code prefix}: strips trailing
   * {@code 0xFF} bytes and increments the last remaining byte.
   *
   * @throws InvalidArgumentException if the prefix is empty or consists only of {@code 0xFF} bytes
   */
  public static byte[] strinc(byte[] prefix) {
    int n = prefix.length;
    while (n > 0 && prefix[n - 1] == (byte) 0xFF) {
      n--;
    }
    if (n == 0) {
      throw new InvalidArgumentException("key has no successor prefix: it is empty or all 0xFF",
          Map.of("key", printable(prefix)));
    }
    byte[] out = Arrays.copyOf(prefix, n);
    out[n - 1]++;
    return out;
  }

  /** The smallest key that sorts after {@code key}: {@code key + 0x00}. */
  public static byte[] keyAfter(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /** Concatenates arrays. */
  public static byte[] concat(byte[]... parts) {
    int len = 0;
    for (byte[] p : parts) {
      len += p.length;
    }
    byte[] out = new byte[len];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  /** Whether {@code key} begins with {@code prefix}. */
  public static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * A readable form for logs and messages: printable ASCII as is, other bytes as {@code \xNN}.
   * Long keys are cut after 128 bytes.
   */
  public static String printable(byte[] key) {
    if (key == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder();
    int n = Math.min(key.length, 128);
    for (int i = 0; i < n; i++) {
      int b = key[i] & 0xFF;
      if (b >= 0x20 && b < 0x7F && b != '\\') {
        sb.append((char) b);
      } else {
        sb.append(String.format("\\x%02x", b));
      }
    }
    if (key.length > n) {
      sb.append("...(").append(key.length).append(" bytes)");
    }
    return sb.toString();
  }
}
