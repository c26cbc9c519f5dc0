package io.tito.internal.docs;

import io.tito.docs.Filter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A residual filter tested on the encoded bytes of a stored document ({@code {"i": id, "d":
 * body}}) without building a string or a node: one pass records where the value at each of the
 * filter's paths starts (the last occurrence of a field, as a full parse keeps it), then each
 * predicate compares bytes there. Only filters built from {@code and}, {@code or}, {@code not},
 * {@code eq}/{@code ne} with a string value and {@code contains} of a string value, on paths none
 * of which is a prefix of another, are compiled ({@link #of} returns null otherwise); a string in
 * the document holding an escape, or bytes this reader does not expect, make {@link #test} throw
 * {@link IllegalStateException}, and the caller tests the filter on a {@link Projection} instead.
 * Strings compare as their UTF-8 bytes, which is code-point equality. Immutable and thread-safe.
 */
public final class ByteMatcher {

  /** A compiled predicate over the value starts found by one pass. */
  private interface Test {
    boolean test(Reader r, int[] at);
  }

  /** Wanted fields of one object level; {@code slot} of a leaf, {@code below} of an inner one. */
  private static final class Level {
    final List<byte[]> names = new ArrayList<>();
    final List<Level> below = new ArrayList<>();
    final List<Integer> slots = new ArrayList<>();
    /** Every slot under this level (reset when a later duplicate field replaces it). */
    final List<Integer> all = new ArrayList<>();

    int find(byte[] b, int from, int to) {
      int len = to - from;
      for (int k = 0; k < names.size(); k++) {
        byte[] n = names.get(k);
        if (n.length == len && same(n, b, from)) {
          return k;
        }
      }
      return -1;
    }
  }

  private final Level root;
  private final int slots;
  private final Test test;

  private ByteMatcher(Level root, int slots, Test test) {
    this.root = root;
    this.slots = slots;
    this.test = test;
  }

  /** The matcher of {@code filter}, or null when it has a predicate this class does not test. */
  public static ByteMatcher of(Filter filter) {
    List<String> paths = new ArrayList<>();
    Test t = compile(filter, paths);
    if (t == null || paths.isEmpty()) {
      return null;
    }
    for (String a : paths) {
      for (String b : paths) {
        if (!a.equals(b) && b.startsWith(a + ".")) {
          return null; // a whole subtree and a path inside it: left to the projection
        }
      }
    }
    Level root = new Level();
    for (int s = 0; s < paths.size(); s++) {
      add(root, JsonPaths.segments(paths.get(s)), 0, s);
    }
    return new ByteMatcher(root, paths.size(), t);
  }

  /**
   * Whether the filter matches the stored document {@code bytes}.
   *
   * @throws IllegalStateException if the bytes are not as this reader expects (an escaped
   *     string where a predicate compares, JSON not as a mapper writes it)
   */
  public boolean test(byte[] bytes) {
    int[] at = new int[slots];
    java.util.Arrays.fill(at, -1);
    Reader r = new Reader(bytes);
    try {
      r.document(root, at);
      return test.test(r, at);
    } catch (IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalStateException("stored document is not readable here", e);
    }
  }

  private static void add(Level level, List<String> segs, int i, int slot) {
    byte[] name = segs.get(i).getBytes(StandardCharsets.UTF_8);
    int k = level.find(name, 0, name.length);
    boolean last = i == segs.size() - 1;
    if (k < 0) {
      level.names.add(name);
      level.below.add(last ? null : new Level());
      level.slots.add(last ? slot : -1);
      k = level.names.size() - 1;
    }
    level.all.add(slot);
    if (!last) {
      add(level.below.get(k), segs, i + 1, slot);
    }
  }

  private static Test compile(Filter f, List<String> paths) {
    switch (f) {
      case Filter.Compare c when (c.op() == Filter.Op.EQ || c.op() == Filter.Op.NE)
          && c.value() instanceof String s && plain(s) -> {
        int slot = slot(paths, c.path());
        byte[] want = s.getBytes(StandardCharsets.UTF_8);
        boolean eq = c.op() == Filter.Op.EQ;
        return (r, at) -> r.stringAt(at[slot], want) == eq;
      }
      case Filter.Contains c when c.value() instanceof String s && plain(s) -> {
        int slot = slot(paths, c.path());
        byte[] want = s.getBytes(StandardCharsets.UTF_8);
        return (r, at) -> r.arrayHolds(at[slot], want);
      }
      case Filter.And a -> {
        Test[] parts = parts(a.parts(), paths);
        return parts == null ? null : (r, at) -> {
          for (Test t : parts) {
            if (!t.test(r, at)) {
              return false;
            }
          }
          return true;
        };
      }
      case Filter.Or o -> {
        Test[] parts = parts(o.parts(), paths);
        return parts == null ? null : (r, at) -> {
          for (Test t : parts) {
            if (t.test(r, at)) {
              return true;
            }
          }
          return false;
        };
      }
      case Filter.Not n -> {
        Test t = compile(n.part(), paths);
        return t == null ? null : (r, at) -> !t.test(r, at);
      }
      default -> {
        return null;
      }
    }
  }

  private static Test[] parts(List<Filter> fs, List<String> paths) {
    Test[] out = new Test[fs.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = compile(fs.get(k), paths);
      if (out[k] == null) {
        return null;
      }
    }
    return out;
  }

  /** Whether {@code s} is its UTF-8 bytes decoded (no unpaired surrogate). */
  private static boolean plain(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
  }

  private static int slot(List<String> paths, String path) {
    int k = paths.indexOf(path);
    if (k < 0) {
      paths.add(path);
      k = paths.size() - 1;
    }
    return k;
  }

  private static boolean same(byte[] n, byte[] b, int from) {
    for (int j = 0; j < n.length; j++) {
      if (n[j] != b[from + j]) {
        return false;
      }
    }
    return true;
  }

  /** A cursor over one document's bytes. */
  private static final class Reader extends JsonBytesCursor {

    Reader(byte[] b) {
      super(b);
    }

    /** The end (closing quote) of the field name {@link #field} last read. */
    private int nameEnd;

    /**
     * Reads a field name (unescaped, or this throws) and its colon; returns the name's start, its
     * end in {@link #nameEnd}, the cursor on the value.
     */
    private int field() {
      int s = name();
      nameEnd = i - 1;
      if (escape) {
        throw new IllegalStateException("escaped field name");
      }
      expect(':');
      ws();
      return s;
    }

    /** Records the start of each wanted value in {@code at} (the body under field "d"). */
    void document(Level wanted, int[] at) {
      expect('{');
      if (peek() == '}') {
        i++;
        return;
      }
      while (true) {
        int s = field();
        if (nameEnd - s == 1 && b[s] == 'd') {
          for (int slot : wanted.all) {
            at[slot] = -1; // a later "d" replaces the body
          }
          if (b[i] == '{') {
            object(wanted, at);
          } else {
            skip();
          }
        } else {
          skip();
        }
        if (!more('}')) {
          return;
        }
      }
    }

    private void object(Level wanted, int[] at) {
      expect('{');
      if (peek() == '}') {
        i++;
        return;
      }
      while (true) {
        int s = field();
        int k = wanted.find(b, s, nameEnd);
        if (k < 0) {
          skip();
        } else {
          Level below = wanted.below.get(k);
          if (below == null) {
            at[wanted.slots.get(k)] = i;
            skip();
          } else {
            for (int slot : below.all) {
              at[slot] = -1; // a later duplicate field replaces the subtree
            }
            if (b[i] == '{') {
              object(below, at);
            } else {
              skip();
            }
          }
        }
        if (!more('}')) {
          return;
        }
      }
    }

    /** Whether the value at {@code p} (-1: absent) is the string {@code want}. */
    boolean stringAt(int p, byte[] want) {
      if (p < 0 || b[p] != '"') {
        return false;
      }
      return sameString(p + 1, want);
    }

    /** Whether the value at {@code p} is an array with the string element {@code want}. */
    boolean arrayHolds(int p, byte[] want) {
      if (p < 0 || b[p] != '[') {
        return false;
      }
      i = p + 1;
      if (peek() == ']') {
        return false;
      }
      while (true) {
        ws();
        if (b[i] == '"') {
          int s = i + 1;
          i++;
          int e = endOfString();
          if (escape) {
            throw new IllegalStateException("escaped string");
          }
          if (e - s == want.length && same(want, b, s)) {
            return true;
          }
        } else {
          skip();
        }
        if (!more(']')) {
          return false;
        }
      }
    }

    /**
     * Whether the string whose content starts at {@code s} is {@code want}. Bytes before the
     * first escape decode to themselves, so a difference there is an answer; an escape within
     * the length of {@code want} is not compared here.
     */
    private boolean sameString(int s, byte[] want) {
      for (int k = 0; k < want.length; k++) {
        byte c = b[s + k];
        if (c == '\\') {
          throw new IllegalStateException("escaped string");
        }
        if (c == '"' || c != want[k]) {
          return false; // the string ended first, or differs before any escape
        }
      }
      return b[s + want.length] == '"'; // an escape here continues a longer string
    }

    /** The start of the field name at the cursor; the cursor ends after its closing quote. */
    private int name() {
      ws();
      if (b[i] != '"') {
        throw new IllegalStateException("expected a field name at " + i);
      }
      int s = ++i;
      endOfString();
      return s;
    }
  }
}
