package io.tito.internal.data;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tito.InvalidArgumentException;
import io.tito.data.Patch;
import java.util.Map;

/** Applies a {@link Patch} to a JSON tree in place. Stateless. */
public final class JsonPatcher {

  private JsonPatcher() {}

  /**
   * Applies every operation of {@code patch} to {@code root} (an object).
   *
   * @throws InvalidArgumentException if a path crosses a non-container or an array index is out
   *     of bounds
   */
  public static JsonNode apply(JsonNode root, Patch patch, ObjectMapper mapper) {
    if (!(root instanceof ObjectNode)) {
      throw new InvalidArgumentException("patch needs a JSON object record", Map.of());
    }
    for (Patch.Op op : patch.ops()) {
      JsonPointer ptr = JsonPointer.compile(op.path());
      JsonNode parent = op.remove() ? root.at(ptr.head()) : ensure(root, ptr.head(), op.path());
      String last = ptr.last().getMatchingProperty();
      if (op.remove()) {
        if (parent instanceof ObjectNode o) {
          o.remove(last);
        } else if (parent instanceof ArrayNode a && isIndex(last)
            && Integer.parseInt(last) < a.size()) {
          a.remove(Integer.parseInt(last));
        }
        continue;
      }
      JsonNode value = mapper.valueToTree(op.value());
      if (parent instanceof ObjectNode o) {
        o.set(last, value);
      } else if (parent instanceof ArrayNode a) {
        if ("-".equals(last)) {
          a.add(value);
        } else if (isIndex(last) && Integer.parseInt(last) < a.size()) {
          a.set(Integer.parseInt(last), value);
        } else if (isIndex(last) && Integer.parseInt(last) == a.size()) {
          a.add(value);
        } else {
          throw bad("patch array index is out of bounds", op.path());
        }
      } else {
        throw bad("patch path goes through a value that is not an object or array", op.path());
      }
    }
    return root;
  }

  /**
   * Checks that every path of {@code patch} names a property of {@code type} as the mapper reads
   * it (following nested objects, map values and collection elements), so that a patch of a
   * field the type does not have fails instead of writing a new version that changes nothing.
   * Untyped values ({@code Object}, {@code JsonNode}, maps) and any-setters accept any name.
   *
   * @throws InvalidArgumentException naming the first path that names no property
   */
  public static void requireKnownPaths(Patch patch, ObjectMapper mapper, Class<?> type) {
    for (Patch.Op op : patch.ops()) {
      JavaType t = mapper.constructType(type);
      JsonPointer p = JsonPointer.compile(op.path());
      while (p != null && !p.matches()) {
        String name = p.getMatchingProperty();
        if (t.isJavaLangObject() || JsonNode.class.isAssignableFrom(t.getRawClass())) {
          break;
        }
        if (t.isMapLikeType()) {
          t = t.getContentType();
        } else if (t.isCollectionLikeType() || t.isArrayType()) {
          if (!"-".equals(name) && !isIndex(name)) {
            throw bad("patch path names an array element that is not an index", op.path());
          }
          t = t.getContentType();
        } else {
          BeanDescription bean = mapper.getDeserializationConfig().introspect(t);
          if (bean.findAnySetterAccessor() != null) {
            break;
          }
          JavaType next = null;
          for (BeanPropertyDefinition prop : bean.findProperties()) {
            if (prop.getName().equals(name) && (prop.hasSetter() || prop.hasField()
                || prop.hasConstructorParameter())) {
              next = prop.getPrimaryType();
              break;
            }
          }
          if (next == null) {
            throw bad("patch path names no field of the model type", op.path());
          }
          t = next;
        }
        p = p.tail();
      }
    }
  }

  private static JsonNode ensure(JsonNode root, JsonPointer head, String path) {
    JsonNode node = root;
    JsonPointer p = head;
    while (p != null && !p.matches()) {
      String name = p.getMatchingProperty();
      JsonNode next;
      if (node instanceof ObjectNode o) {
        next = o.get(name);
        if (next == null || next.isNull()) {
          next = o.putObject(name);
        }
      } else if (node instanceof ArrayNode a && isIndex(name) && Integer.parseInt(name) < a.size()) {
        next = a.get(Integer.parseInt(name));
      } else {
        throw bad("patch path goes through a value that is not an object or array", path);
      }
      node = next;
      p = p.tail();
    }
    return node;
  }

  private static boolean isIndex(String s) {
    return !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
  }

  private static InvalidArgumentException bad(String msg, String path) {
    return new InvalidArgumentException(msg, Map.of("path", path));
  }
}
