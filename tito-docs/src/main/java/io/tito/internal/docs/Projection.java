package io.tito.internal.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.docs.Filter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The part of a stored document a filter reads: one pass over the encoded bytes
 * ({@code {"i": id, "d": body}}) that builds nodes only for the subtrees at the filter's paths and
 * skips everything else byte by byte (no tokens, no strings, no nodes). A filter tested on the
 * projection answers as on the whole body: every path it reads holds the same subtree (a later
 * duplicate field replaces an earlier one, as in a full parse; numbers become int, long, big
 * integer or double nodes, which filters compare as doubles like the mapper's nodes), and every
 * other field is absent, which no predicate of the filter looks at. Bytes this reader does not
 * expect (not JSON as a mapper writes it) make {@link #read} throw
 * {@link IllegalStateException}; the caller then parses the whole document. Immutable and
 * thread-safe.
 */
public final class Projection {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Wanted fields of one object level: UTF-8 names and, per name, the level below (null: all). */
  private static final class Level {
    final List<byte[]> names = new ArrayList<>();
    final List<String> texts = new ArrayList<>();
    final List<Level> below = new ArrayList<>();

    /**
     * The number of the wanted name equal to {@code b[from, to)}, or -1: compared by length,
     * then byte by byte (document field names are short; most differ in length or first byte).
     */
    int find(byte[] b, int from, int to) {
      int len = to - from;
      for (int k = 0; k < names.size(); k++) {
        byte[] n = names.get(k);
        if (n.length == len && same(n, b, from, len)) {
          return k;
        }
      }
      return -1;
    }

    private static boolean same(byte[] n, byte[] b, int from, int len) {
      for (int j = 0; j < len; j++) {
        if (n[j] != b[from + j]) {
          return false;
        }
      }
      return true;
    }
  }

  private final Level root;

  private Projection(Level root) {
    this.root = root;
  }

  /** The projection of the paths {@code filter} reads. */
  public static Projection of(Filter filter) {
    return ofPaths(Filters.paths(filter));
  }

  /** The projection of the given document paths (dotted, without a trailing {@code []}). */
  public static Projection ofPaths(Collection<String> paths) {
    Level root = new Level();
    for (String path : paths) {
      add(root, JsonPaths.segments(path), 0);
    }
    return new Projection(root);
  }

  private static void add(Level level, List<String> segs, int i) {
    byte[] name = segs.get(i).getBytes(StandardCharsets.UTF_8);
    int k = level.find(name, 0, name.length);
    boolean last = i == segs.size() - 1;
    if (k < 0) {
      level.names.add(name);
      level.texts.add(segs.get(i));
      level.below.add(last ? null : new Level());
      k = level.names.size() - 1;
    } else if (last) {
      level.below.set(k, null); // the whole subtree (covers longer paths below it)
    }
    Level below = level.below.get(k);
    if (!last && below != null) {
      add(below, segs, i + 1);
    }
  }

  /** The id and projected body read from stored bytes. */
  public record Result(String id, ObjectNode body) {}

  /**
   * Reads the id and the projected body from {@code bytes}.
   *
   * @throws IllegalStateException if the bytes are not a stored document as this reader expects
   */
  public Result read(byte[] bytes) {
    try {
      return new Reader(bytes).document(root);
    } catch (IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalStateException("stored document is not readable here", e);
    }
  }

  /** Deepest nesting of built subtrees; deeper documents are left to the full parse. */
  private static final int MAX_DEPTH = 200;

  /** A cursor over one document's bytes. */
  private static final class Reader extends JsonBytesCursor {
    private int depth;

    Reader(byte[] b) {
      super(b);
    }

    Result document(Level wanted) {
      String id = null;
      ObjectNode body = NODES.objectNode();
      expect('{');
      if (peek() == '}') {
        i++;
        return new Result(null, body);
      }
      while (true) {
        int[] name = name();
        expect(':');
        ws();
        if (is(name, "i") && b[i] == '"') {
          i++;
          id = string();
        } else if (is(name, "d") && b[i] == '{') {
          body = object(wanted);
        } else {
          skip();
        }
        if (!more('}')) {
          return new Result(id, body);
        }
      }
    }

    /** The object at the cursor, keeping the fields under {@code wanted} (null: all). */
    private ObjectNode object(Level wanted) {
      expect('{');
      if (++depth > MAX_DEPTH) {
        throw new IllegalStateException("nested too deeply for the projection");
      }
      ObjectNode out = NODES.objectNode();
      if (peek() == '}') {
        i++;
        depth--;
        return out;
      }
      while (true) {
        int[] span = name();
        expect(':');
        ws();
        int k = -2;
        if (wanted != null) {
          k = escapes(span) ? wanted.find(utf8(nameText(span)), 0, utf8(nameText(span)).length)
              : wanted.find(b, span[0], span[1]);
        }
        if (k == -1) {
          skip();
        } else {
          Level below = k >= 0 ? wanted.below.get(k) : null;
          String name = k >= 0 ? wanted.texts.get(k) : nameText(span);
          out.set(name, below != null && b[i] == '{' ? object(below) : value());
        }
        if (!more('}')) {
          depth--;
          return out;
        }
      }
    }

    /** The whole value at the cursor. */
    private JsonNode value() {
      byte c = b[i];
      switch (c) {
        case '{':
          return object(null);
        case '[': {
          i++;
          if (++depth > MAX_DEPTH) {
            throw new IllegalStateException("nested too deeply for the projection");
          }
          ArrayNode a = NODES.arrayNode();
          if (peek() == ']') {
            i++;
            depth--;
            return a;
          }
          while (true) {
            ws();
            a.add(value());
            if (!more(']')) {
              depth--;
              return a;
            }
          }
        }
        case '"':
          i++;
          return NODES.textNode(string());
        case 't':
          literal("true");
          return NODES.booleanNode(true);
        case 'f':
          literal("false");
          return NODES.booleanNode(false);
        case 'n':
          literal("null");
          return NODES.nullNode();
        default:
          return number();
      }
    }

    private JsonNode number() {
      int s = i;
      boolean fraction = false;
      while (i < b.length) {
        byte c = b[i];
        if (c == '.' || c == 'e' || c == 'E') {
          fraction = true;
        } else if (!(c >= '0' && c <= '9' || c == '-' || c == '+')) {
          break;
        }
        i++;
      }
      if (s == i) {
        throw new IllegalStateException("unexpected byte at " + s);
      }
      String text = new String(b, s, i - s, StandardCharsets.ISO_8859_1);
      if (fraction) {
        return NODES.numberNode(Double.parseDouble(text));
      }
      BigInteger v = new BigInteger(text);
      if (v.bitLength() < 32) {
        return NODES.numberNode(v.intValue());
      }
      return v.bitLength() < 64 ? NODES.numberNode(v.longValue()) : NODES.numberNode(v);
    }

    /** The span [start, end) of the field name at the cursor (after whitespace). */
    private int[] name() {
      ws();
      if (b[i] != '"') {
        throw new IllegalStateException("expected a field name at " + i);
      }
      int s = ++i;
      int e = endOfString();
      return new int[] {s, e};
    }

    private boolean escapes(int[] span) {
      for (int k = span[0]; k < span[1]; k++) {
        if (b[k] == '\\') {
          return true;
        }
      }
      return false;
    }

    private String nameText(int[] span) {
      if (!escapes(span)) {
        return new String(b, span[0], span[1] - span[0], StandardCharsets.UTF_8);
      }
      int save = i;
      i = span[0];
      String s = string();
      i = save;
      return s;
    }

    private static byte[] utf8(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }

    private boolean is(int[] span, String name) {
      return span[1] - span[0] == name.length() && b[span[0]] == name.charAt(0);
    }

    /** The string whose opening quote was just read, unescaped; the cursor ends after it. */
    private String string() {
      int s = i;
      int e = endOfString();
      boolean plain = true;
      for (int k = s; k < e; k++) {
        if (b[k] == '\\') {
          plain = false;
          break;
        }
      }
      if (plain) {
        return new String(b, s, e - s, StandardCharsets.UTF_8);
      }
      StringBuilder out = new StringBuilder();
      int run = s;
      int k = s;
      while (k < e) {
        if (b[k] != '\\') {
          k++;
          continue;
        }
        out.append(new String(b, run, k - run, StandardCharsets.UTF_8));
        byte c = b[k + 1];
        switch (c) {
          case '"', '\\', '/' -> out.append((char) c);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            out.append((char) Integer.parseInt(
                new String(b, k + 2, 4, StandardCharsets.ISO_8859_1), 16));
            k += 4;
          }
          default -> throw new IllegalStateException("bad escape at " + k);
        }
        k += 2;
        run = k;
      }
      out.append(new String(b, run, e - run, StandardCharsets.UTF_8));
      return out.toString();
    }

    private void literal(String word) {
      for (int k = 0; k < word.length(); k++) {
        if (b[i + k] != word.charAt(k)) {
          throw new IllegalStateException("unexpected literal at " + i);
        }
      }
      i += word.length();
    }
  }
}
