package io.tito.internal.docs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.docs.Filter;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a stored document a filter reads: one streaming pass over the encoded bytes
 * ({@code {"i": id, "d": body}}) that builds only the subtrees at the filter's paths and skips
 * everything else without building nodes. A filter tested on the projection answers as on the
 * whole body: every path it reads holds the same subtree (later duplicate fields replace earlier
 * ones, as in a full parse), and every other field is absent, which no predicate of the filter
 * looks at. Immutable and thread-safe.
 */
public final class Projection {

  /** Parses stored bytes (plain JSON written by the store's mapper); thread-safe. */
  private static final JsonFactory JSON = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Path segments below one object field; an empty map: the whole subtree. */
  private final Map<String, Map<String, ?>> tree;

  private Projection(Map<String, Map<String, ?>> tree) {
    this.tree = tree;
  }

  /** The projection of the paths {@code filter} reads. */
  public static Projection of(Filter filter) {
    Map<String, Map<String, ?>> root = new HashMap<>();
    for (String path : Filters.paths(filter)) {
      add(root, JsonPaths.segments(path), 0);
    }
    return new Projection(root);
  }

  @SuppressWarnings("unchecked")
  private static void add(Map<String, Map<String, ?>> node, List<String> segs, int i) {
    String s = segs.get(i);
    Map<String, ?> child = node.get(s);
    if (i == segs.size() - 1) {
      node.put(s, Map.of()); // the whole subtree (covers longer paths below it)
      return;
    }
    if (child != null && child.isEmpty()) {
      return; // the whole subtree is read already
    }
    if (child == null) {
      child = new HashMap<String, Map<String, ?>>();
      node.put(s, child);
    }
    add((Map<String, Map<String, ?>>) child, segs, i + 1);
  }

  /** The id and projected body read from stored bytes. */
  public record Result(String id, ObjectNode body) {}

  /** Reads the id and the projected body from {@code bytes}. */
  public Result read(byte[] bytes) {
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException("stored document is not a JSON object");
      }
      String id = null;
      ObjectNode body = NODES.objectNode();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("i")) {
          id = p.getValueAsString();
        } else if (name.equals("d") && t == JsonToken.START_OBJECT) {
          body = object(p, tree);
        } else {
          p.skipChildren();
        }
      }
      return new Result(id, body);
    } catch (IOException e) {
      throw new IllegalStateException("stored document is not readable JSON", e);
    }
  }

  /** The object at the parser (on its START_OBJECT), keeping the fields under {@code wanted}. */
  @SuppressWarnings("unchecked")
  private static ObjectNode object(JsonParser p, Map<String, ? extends Map<String, ?>> wanted)
      throws IOException {
    ObjectNode out = NODES.objectNode();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      Map<String, ?> below = wanted.get(name);
      JsonToken t = p.nextToken();
      if (below == null) {
        p.skipChildren();
      } else if (!below.isEmpty() && t == JsonToken.START_OBJECT) {
        out.set(name, object(p, (Map<String, Map<String, ?>>) below));
      } else {
        out.set(name, value(p, t));
      }
    }
    return out;
  }

  /**
   * The whole value at the parser. Numbers become int, long, big integer or double nodes, which
   * filters compare as doubles whatever the node type (as they do the mapper's nodes).
   */
  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          a.add(value(p, e));
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      default:
        return NODES.nullNode();
    }
  }
}
