package io.tito.internal.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Dotted JSON paths ({@code address.city}): parsing, reading and writing object fields. A path is
 * one or more non-empty segments separated by dots; a trailing {@code []} (only in index
 * declarations) means "each element of the array". Stateless.
 */
public final class JsonPaths {

  private static final Pattern SEGMENT = Pattern.compile("[^.\\[\\]]+");

  private JsonPaths() {}

  /** Parsed paths: filters and index definitions use a few paths over and over. */
  private static final Map<String, List<String>> PARSED = new ConcurrentHashMap<>();
  private static final int MAX_PARSED = 10_000;

  /** The segments of {@code path}, or an {@link InvalidArgumentException} naming it. */
  public static List<String> segments(String path) {
    List<String> known = path == null ? null : PARSED.get(path);
    if (known != null) {
      return known;
    }
    List<String> parts = parse(path);
    if (PARSED.size() >= MAX_PARSED) {
      PARSED.clear(); // a bound, not an eviction policy: paths are few in practice
    }
    PARSED.put(path, parts);
    return parts;
  }

  private static List<String> parse(String path) {
    if (path == null || path.isEmpty()) {
      throw new InvalidArgumentException("a document path must not be empty",
          Map.of("path", String.valueOf(path)));
    }
    List<String> parts = List.of(path.split("\\.", -1));
    for (String p : parts) {
      if (!SEGMENT.matcher(p).matches()) {
        throw new InvalidArgumentException("invalid document path", Map.of("path", path));
      }
    }
    return parts;
  }

  /** The node at {@code path}, or a {@link MissingNode} when some segment is absent. */
  public static JsonNode get(JsonNode doc, String path) {
    JsonNode n = doc;
    for (String s : segments(path)) {
      if (n == null || !n.isObject()) {
        return MissingNode.getInstance();
      }
      n = n.get(s);
    }
    return n == null ? MissingNode.getInstance() : n;
  }

  /** The object holding the last segment of {@code path}, or null when it is not an object. */
  public static ObjectNode parent(JsonNode doc, String path) {
    List<String> segs = segments(path);
    JsonNode n = doc;
    for (int i = 0; i < segs.size() - 1; i++) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(segs.get(i));
    }
    return n instanceof ObjectNode o ? o : null;
  }

  /** The last segment of {@code path}. */
  public static String leaf(String path) {
    List<String> segs = segments(path);
    return segs.get(segs.size() - 1);
  }
}
