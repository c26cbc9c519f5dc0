package io.tito.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tito.ByteArrays;
import io.tito.KeyValue;
import io.tito.KeyValueCursor;
import io.tito.ScanOptions;
import io.tito.spi.Engine;
import io.tito.spi.EngineTransaction;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** Helpers shared by the contracts. Stateless. */
final class Kit {

  /**
   * An end bound above every key the kit writes: 32 bytes of {@code 0xFF}. (The kit's keys are
   * shorter than 32 bytes or do not consist of {@code 0xFF} bytes only.)
   */
  static final byte[] ALL_END = filled(32, 0xFF);

  /** The empty key, the smallest key there is. */
  static final byte[] EMPTY = new byte[0];

  private static final byte[] PIN_KEY = k("\u0001tito-testkit-pin");

  private Kit() {}

  /** A key or value from a string whose chars are bytes (ISO-8859-1): {@code "a\0\u00ff"}. */
  static byte[] k(String bytes) {
    byte[] out = new byte[bytes.length()];
    for (int i = 0; i < out.length; i++) {
      char c = bytes.charAt(i);
      if (c > 0xFF) {
        throw new IllegalArgumentException("not a byte: " + (int) c);
      }
      out[i] = (byte) c;
    }
    return out;
  }

  /** Same as {@link #k}, for values. */
  static byte[] v(String bytes) {
    return k(bytes);
  }

  /** An array of the given unsigned byte values. */
  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** {@code length} copies of one byte. */
  static byte[] filled(int length, int b) {
    byte[] out = new byte[length];
    Arrays.fill(out, (byte) b);
    return out;
  }

  /** A deterministic, non-repeating-looking pattern, so that misplaced bytes are noticed. */
  static byte[] pattern(int length, int seed) {
    byte[] out = new byte[length];
    int x = seed * 0x9E3779B9 + 1;
    for (int i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = (byte) x;
    }
    return out;
  }

  /** {@code prefix} followed by a big-endian int: keys that sort like the int (for i >= 0). */
  static byte[] key(String prefix, int i) {
    return ByteArrays.concat(k(prefix), ByteBuffer.allocate(4).putInt(i).array());
  }

  static byte[] encodeLong(long x) {
    return ByteBuffer.allocate(8).putLong(x).array();
  }

  static long decodeLong(byte[] b) {
    assertThat(b).as("an 8-byte number").isNotNull().hasSize(8);
    return ByteBuffer.wrap(b).getLong();
  }

  /** Runs {@code body} in a read-write transaction and commits it. */
  static void commit(Engine engine, Consumer<EngineTransaction> body) {
    try (EngineTransaction tx = engine.begin(false)) {
      body.accept(tx);
      tx.commit();
    }
  }

  /** Runs {@code body} in a read-only transaction. */
  static <T> T read(Engine engine, Function<EngineTransaction, T> body) {
    try (EngineTransaction tx = engine.begin(true)) {
      T result = body.apply(tx);
      tx.commit();
      return result;
    }
  }

  /** Commits every row of {@code model} in one transaction. */
  static void commitModel(Engine engine, ReferenceModel model) {
    commit(engine, model::writeTo);
  }

  /**
   * Reads once so that the transaction's snapshot is fixed now: engines may take the snapshot at
   * the first read (PostgreSQL REPEATABLE READ does) rather than at begin.
   */
  static void pin(EngineTransaction tx) {
    tx.get(PIN_KEY);
  }

  static List<KeyValue> scan(EngineTransaction tx, byte[] begin, byte[] end, ScanOptions options) {
    try (KeyValueCursor c = tx.scan(begin, end, options)) {
      return c.toList();
    }
  }

  static List<KeyValue> scan(EngineTransaction tx, byte[] begin, byte[] end, boolean reverse, int limit) {
    return scan(tx, begin, end, new ScanOptions(reverse, limit));
  }

  /** Every row the kit may have written, in key order. */
  static List<KeyValue> scanAll(EngineTransaction tx) {
    return scan(tx, EMPTY, ALL_END, ScanOptions.FORWARD);
  }

  /** Asserts that {@code tx} holds exactly the rows of {@code model}, forward and reverse. */
  static void assertContents(EngineTransaction tx, ReferenceModel model, String what) {
    assertThat(scanAll(tx)).as("%s: full forward scan", what).containsExactlyElementsOf(model.rows());
    List<KeyValue> reversed = new ArrayList<>(model.rows());
    Collections.reverse(reversed);
    assertThat(scan(tx, EMPTY, ALL_END, ScanOptions.REVERSE))
        .as("%s: full reverse scan", what).containsExactlyElementsOf(reversed);
  }

  /** Asserts a value by content, with readable messages ({@code null} means absent). */
  static void assertValue(byte[] actual, byte[] expected, String what, Object... args) {
    if (!Arrays.equals(actual, expected)) {
      fail("%s: expected %s but was %s", String.format(what, args), show(expected), show(actual));
    }
  }

  /** A readable form of a value or key: its bytes, length, and {@code <absent>} for null. */
  static String show(byte[] b) {
    return b == null ? "<absent>" : "'" + ByteArrays.printable(b) + "' (" + b.length + " bytes)";
  }

  /**
   * Checks every scan over every pair {@code begin <= end} of {@code bounds}, in both directions,
   * with limits 0, 1, 2, n - 1, n and n + 1 (n = the number of rows in the range), against
   * {@code model}.
   */
  static void assertScanMatrix(EngineTransaction tx, ReferenceModel model, List<byte[]> bounds, String what) {
    List<byte[]> sorted = new ArrayList<>(bounds);
    sorted.sort(ByteArrays.COMPARATOR);
    for (int i = 0; i < sorted.size(); i++) {
      for (int j = i; j < sorted.size(); j++) {
        byte[] begin = sorted.get(i);
        byte[] end = sorted.get(j);
        int n = model.scan(begin, end, false, 0).size();
        Set<Integer> limits = new LinkedHashSet<>(List.of(0, 1, 2, n + 1));
        if (n > 1) {
          limits.add(n - 1);
        }
        if (n > 0) {
          limits.add(n);
        }
        for (boolean reverse : new boolean[] {false, true}) {
          for (int limit : limits) {
            assertThat(scan(tx, begin, end, reverse, limit))
                .as("%s: scan [%s, %s) reverse=%s limit=%d", what, ByteArrays.printable(begin),
                    ByteArrays.printable(end), reverse, limit)
                .containsExactlyElementsOf(model.scan(begin, end, reverse, limit));
          }
        }
      }
    }
  }

  /**
   * Keys that are prefixes of one another, with 0x00 and 0xFF bytes, and on both sides of the
   * signed/unsigned boundary (0x7F, 0x80).
   */
  static List<byte[]> trickyKeys() {
    List<byte[]> keys = new ArrayList<>();
    for (String s : new String[] {
        "", "\0", "\0\0", "\u0001", "a", "a\0", "a\0\0", "a\0\u0001", "a\u0001", "a\u00ff", "ab", "abc", "b",
        "\u007f", "\u0080", "\u00fe", "\u00ff", "\u00ff\0", "\u00ff\u00ff", "\u00ff\u00ff\0", "\u00ff\u00ff\u00ff"}) {
      keys.add(k(s));
    }
    return keys;
  }

  /** The tricky keys with distinct values. */
  static ReferenceModel trickyModel() {
    ReferenceModel model = new ReferenceModel();
    int i = 0;
    for (byte[] key : trickyKeys()) {
      model.set(key, v("v" + i++));
    }
    return model;
  }

  /** Scan bounds: every tricky key plus keys between and around them. */
  static List<byte[]> trickyBounds() {
    List<byte[]> bounds = new ArrayList<>(trickyKeys());
    for (String s : new String[] {"0", "a\0\0\0", "aa", "c", "\u00ff\u00ff\u00ff\u00ff"}) {
      bounds.add(k(s));
    }
    bounds.add(ALL_END);
    return bounds;
  }
}
