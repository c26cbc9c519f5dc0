package io.tito.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tito.InvalidArgumentException;
import io.tito.internal.docs.JsonPaths;
import io.tito.internal.docs.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A predicate on documents, over dotted JSON paths. Build with the static factories; combine with
 * {@link #and}, {@link #or}, {@link #not}. Immutable.
 *
 * <p><b>Values.</b> Every JSON number compares as a double (1 equals 1.0); strings compare by code
 * point; a missing field, JSON null, an object or an array has the value null. Query values may be
 * strings, numbers, booleans, null, enums (by name) or a {@link Param}.
 *
 * <ul>
 *   <li>{@code eq(p, v)}: the value at p equals v ({@code eq(p, null)}: p is missing, null or not
 *       a scalar); {@code ne} is its negation; {@code in(p, vs...)}: eq one of them.
 *   <li>{@code lt, le, gt, ge, between} (inclusive both ends): only values of the same kind as the
 *       bound match (a string never matches {@code gt(p, 3)}; null never matches a range).
 *   <li>{@code exists(p)}: the document has a field at p (also when it is JSON null).
 *   <li>{@code startsWith(p, s)}: a string value starting with s.
 *   <li>{@code contains(p, v)}: p is an array with an element equal to v.
 * </ul>
 */
public sealed interface Filter {

  /** Whether {@code doc} matches. Parameters must have been bound ({@link #bind}). */
  boolean test(JsonNode doc);

  /** This filter with every {@link Param} replaced by its value in {@code params}. */
  Filter bind(Map<String, ?> params);

  /** Comparison operators. */
  enum Op { EQ, NE, LT, LE, GT, GE }

  /** A comparison of the value at {@code path} with {@code value}. */
  record Compare(Op op, String path, Object value) implements Filter {
    public Compare {
      JsonPaths.segments(path);
      value = norm(value);
    }

    @Override
    public boolean test(JsonNode doc) {
      Object have = Values.of(JsonPaths.get(doc, path));
      Object want = bound(value);
      return switch (op) {
        case EQ -> java.util.Objects.equals(have, want);
        case NE -> !java.util.Objects.equals(have, want);
        case LT -> Values.sameKind(have, want) && Values.ORDER.compare(have, want) < 0;
        case LE -> Values.sameKind(have, want) && Values.ORDER.compare(have, want) <= 0;
        case GT -> Values.sameKind(have, want) && Values.ORDER.compare(have, want) > 0;
        case GE -> Values.sameKind(have, want) && Values.ORDER.compare(have, want) >= 0;
      };
    }

    @Override
    public Filter bind(Map<String, ?> params) {
      return new Compare(op, path, sub(value, params));
    }

    @Override
    public String toString() {
      String name = switch (op) { // op.name() in lower case, without a conversion per call
        case EQ -> "eq";
        case NE -> "ne";
        case LT -> "lt";
        case LE -> "le";
        case GT -> "gt";
        case GE -> "ge";
      };
      return path + " " + name + " " + show(value);
    }
  }

  /** {@code from <= value <= to}, both of the value's kind. */
  record Between(String path, Object from, Object to) implements Filter {
    public Between {
      JsonPaths.segments(path);
      from = norm(from);
      to = norm(to);
    }

    @Override
    public boolean test(JsonNode doc) {
      Object have = Values.of(JsonPaths.get(doc, path));
      Object lo = bound(from);
      Object hi = bound(to);
      return Values.sameKind(have, lo) && Values.sameKind(have, hi)
          && Values.ORDER.compare(have, lo) >= 0 && Values.ORDER.compare(have, hi) <= 0;
    }

    @Override
    public Filter bind(Map<String, ?> params) {
      return new Between(path, sub(from, params), sub(to, params));
    }

    @Override
    public String toString() {
      return path + " between " + show(from) + " and " + show(to);
    }
  }

  /** The value equals one of {@code values}. */
  record In(String path, List<Object> values) implements Filter {
    public In {
      JsonPaths.segments(path);
      List<Object> n = new ArrayList<>();
      for (Object v : values) {
        n.add(norm(v));
      }
      values = java.util.Collections.unmodifiableList(n);
    }

    @Override
    public boolean test(JsonNode doc) {
      Object have = Values.of(JsonPaths.get(doc, path));
      for (Object v : values) {
        if (java.util.Objects.equals(have, bound(v))) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Filter bind(Map<String, ?> params) {
      List<Object> b = new ArrayList<>();
      for (Object v : values) {
        b.add(sub(v, params));
      }
      return new In(path, b);
    }

    @Override
    public String toString() {
      return path + " in " + values.stream().map(Filter::show).toList();
    }
  }

  /** The document has a field at {@code path}. */
  record Exists(String path) implements Filter {
    public Exists {
      JsonPaths.segments(path);
    }

    @Override
    public boolean test(JsonNode doc) {
      return !JsonPaths.get(doc, path).isMissingNode();
    }

    @Override
    public Filter bind(Map<String, ?> params) {
      return this;
    }

    @Override
    public String toString() {
      return "exists " + path;
    }
  }

  /** A string value starting with {@code prefix}. */
  record StartsWith(String path, Object prefix) implements Filter {
    public StartsWith {
      JsonPaths.segments(path);
      prefix = norm(prefix);
      if (!(prefix instanceof String) && !(prefix instanceof Param)) {
        throw new InvalidArgumentException("startsWith needs a string",
            Map.of("path", path, "value", String.valueOf(prefix)));
      }
    }

    @Override
    public boolean test(JsonNode doc) {
      return Values.of(JsonPaths.get(doc, path)) instanceof String s
          && bound(prefix) instanceof String p && s.startsWith(p);
    }

    @Override
    public Filter bind(Map<String, ?> params) {
      return new StartsWith(path, sub(prefix, params));
    }

    @Override
    public String toString() {
      return path + " startsWith " + show(prefix);
    }
  }

  /** The array at {@code path} has an element equal to {@code value}. */
  record Contains(String path, Object value) implements Filter {
    public Contains {
      JsonPaths.segments(path);
      value = norm(value);
    }

    @Override
    public boolean test(JsonNode doc) {
      JsonNode a = JsonPaths.get(doc, path);
      if (!a.isArray()) {
        return false;
      }
      Object want = bound(value);
      for (JsonNode e : a) {
        if (!e.isContainerNode() && java.util.Objects.equals(Values.of(e), want)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Filter bind(Map<String, ?> params) {
      return new Contains(path, sub(value, params));
    }

    @Override
    public String toString() {
      return path + " contains " + show(value);
    }
  }

  /** All of {@code parts}. */
  record And(List<Filter> parts) implements Filter {
    public And {
      parts = List.copyOf(parts);
    }

    @Override
    public boolean test(JsonNode doc) {
      for (Filter f : parts) {
        if (!f.test(doc)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Filter bind(Map<String, ?> params) {
      return new And(parts.stream().map(p -> p.bind(params)).toList());
    }

    @Override
    public String toString() {
      return join(parts, " and ");
    }
  }

  /** One of {@code parts}. */
  record Or(List<Filter> parts) implements Filter {
    public Or {
      parts = List.copyOf(parts);
    }

    @Override
    public boolean test(JsonNode doc) {
      for (Filter f : parts) {
        if (f.test(doc)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Filter bind(Map<String, ?> params) {
      return new Or(parts.stream().map(p -> p.bind(params)).toList());
    }

    @Override
    public String toString() {
      return join(parts, " or ");
    }
  }

  /** Not {@code part}. */
  record Not(Filter part) implements Filter {
    public Not {
      java.util.Objects.requireNonNull(part, "part");
    }

    @Override
    public boolean test(JsonNode doc) {
      return !part.test(doc);
    }

    @Override
    public Filter bind(Map<String, ?> params) {
      return new Not(part.bind(params));
    }

    @Override
    public String toString() {
      return "not " + part;
    }
  }

  /** Matches every document. */
  static Filter all() {
    return new And(List.of());
  }

  /** The value at {@code path} equals {@code value} (null: missing, null or not a scalar). */
  static Filter eq(String path, Object value) {
    return new Compare(Op.EQ, path, value);
  }

  /** Not {@link #eq}. */
  static Filter ne(String path, Object value) {
    return new Compare(Op.NE, path, value);
  }

  /** A value of the same kind, less than {@code value}. */
  static Filter lt(String path, Object value) {
    return new Compare(Op.LT, path, value);
  }

  /** A value of the same kind, at most {@code value}. */
  static Filter le(String path, Object value) {
    return new Compare(Op.LE, path, value);
  }

  /** A value of the same kind, greater than {@code value}. */
  static Filter gt(String path, Object value) {
    return new Compare(Op.GT, path, value);
  }

  /** A value of the same kind, at least {@code value}. */
  static Filter ge(String path, Object value) {
    return new Compare(Op.GE, path, value);
  }

  /** A value of the bounds' kind, {@code from <= value <= to}. */
  static Filter between(String path, Object from, Object to) {
    return new Between(path, from, to);
  }

  /** The value equals one of {@code values}. */
  static Filter in(String path, Object... values) {
    return new In(path, java.util.Arrays.asList(values));
  }

  /** The document has a field at {@code path} (also when it is null). */
  static Filter exists(String path) {
    return new Exists(path);
  }

  /** A string value starting with {@code prefix}. */
  static Filter startsWith(String path, Object prefix) {
    return new StartsWith(path, prefix);
  }

  /** The array at {@code path} has an element equal to {@code value}. */
  static Filter contains(String path, Object value) {
    return new Contains(path, value);
  }

  /** All of {@code parts} (none: every document). */
  static Filter and(Filter... parts) {
    return new And(List.of(parts));
  }

  /** One of {@code parts}. */
  static Filter or(Filter... parts) {
    return new Or(List.of(parts));
  }

  /** Not {@code part}. */
  static Filter not(Filter part) {
    return new Not(part);
  }

  private static Object norm(Object v) {
    return v instanceof Param ? v : Values.normalize(v);
  }

  private static Object bound(Object v) {
    if (v instanceof Param p) {
      throw new InvalidArgumentException("query parameter is not bound",
          Map.of("param", p.name()));
    }
    return v;
  }

  private static Object sub(Object v, Map<String, ?> params) {
    if (v instanceof Param p) {
      if (!params.containsKey(p.name())) {
        throw new InvalidArgumentException("query parameter has no value",
            Map.of("param", p.name()));
      }
      return Values.normalize(params.get(p.name()));
    }
    return v;
  }

  /** {@code (p1<separator>p2...)}: an and's or an or's text (part of query fingerprints). */
  private static String join(List<Filter> parts, String separator) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        b.append(separator);
      }
      b.append(parts.get(i));
    }
    return b.append(')').toString();
  }

  private static String show(Object v) {
    if (v instanceof Param p) {
      return ":" + p.name();
    }
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }
}
