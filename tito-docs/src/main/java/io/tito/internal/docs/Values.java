package io.tito.internal.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tito.InvalidArgumentException;
import io.tito.tuple.Tuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.Map;

/**
 * The scalar values documents are indexed, compared and sorted by. Every JSON number is a
 * {@code Double} (so 1 and 1.0 are equal and numbers sort by value), strings are {@code String},
 * booleans {@code Boolean}; JSON null, a missing field, an object and an array are all
 * {@code null}, which sorts first. Order between values is the tuple order of tito-core (null &lt;
 * string &lt; number &lt; false &lt; true), so an in-memory sort and an index scan agree.
 */
public final class Values {

  /**
   * Compares two normalized values in tuple order; values of one kind without building tuples
   * (numbers numerically, strings by code point, which is UTF-8 byte order, booleans false first).
   */
  public static final Comparator<Object> ORDER = Values::compare;

  private static int compare(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return Double.compare(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return compareCodePoints(x, y);
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    return Tuple.of(a).compareTo(Tuple.of(b));
  }

  private static int compareCodePoints(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int cx = x.codePointAt(i);
      int cy = y.codePointAt(j);
      if (cx != cy) {
        return Integer.compare(cx, cy);
      }
      i += Character.charCount(cx);
      j += Character.charCount(cy);
    }
    return Boolean.compare(i < x.length(), j < y.length());
  }

  private Values() {}

  /** The sort/index value of a JSON node (see the class documentation). */
  public static Object of(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull() || n.isContainerNode()) {
      return null;
    }
    if (n.isNumber()) {
      return number(n.doubleValue());
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    return null;
  }

  /**
   * Normalizes a query value given by a caller: numbers become {@code Double}, JSON nodes are
   * read as by {@link #of}, strings, booleans and null stay. Anything else is refused.
   */
  public static Object normalize(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Number num) {
      if (num instanceof BigDecimal || num instanceof BigInteger) {
        return number(num.doubleValue());
      }
      double d = num.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new InvalidArgumentException("query numbers must be finite",
            Map.of("value", String.valueOf(v)));
      }
      return number(d);
    }
    if (v instanceof JsonNode node) {
      return of(node);
    }
    if (v instanceof Enum<?> e) {
      return e.name();
    }
    throw new InvalidArgumentException(
        "query values must be strings, numbers, booleans or null",
        Map.of("value", String.valueOf(v), "type", v.getClass().getName()));
  }

  private static Double number(double d) {
    return d == 0.0 ? 0.0 : d; // -0.0 and 0.0 are the same JSON number
  }

  /** True when both values are non-null and of the same kind (number, string, boolean). */
  public static boolean sameKind(Object a, Object b) {
    return a != null && b != null && a.getClass() == b.getClass();
  }

  /** A JSON node for a normalized value (for projections and tokens). */
  public static JsonNode toNode(Object v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v == null) {
      return f.nullNode();
    }
    if (v instanceof Double d) {
      return f.numberNode(d);
    }
    if (v instanceof Boolean b) {
      return f.booleanNode(b);
    }
    return f.textNode(v.toString());
  }
}
