package io.tito.data;

import io.tito.InvalidArgumentException;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The definition of one secondary index of a {@link Model}, declared through
 * {@link Model.Builder#index(String, java.util.function.UnaryOperator)} with a {@link Spec}.
 *
 * <p>Kinds, combinable: single-field ({@code field} once), composite ({@code field} several times,
 * in key order), conditional ({@link Spec#where}: records failing the predicate are not indexed),
 * multi-valued/custom ({@link Spec#values}: a function yields zero or more value tuples per
 * record, e.g. one per tag), unique ({@link Spec#unique}: a second record with the same values
 * fails with {@link io.tito.AlreadyExistsException}), covering ({@link Spec#covering}: entries hold
 * the record too, so queries skip the point read).
 *
 * <p>Values are typed tuple elements: strings keep case and every character, integers of any
 * width sort by value, doubles by IEEE order, UUIDs and instants natively. Enums are indexed by
 * {@link Enum#name()}. <b>Nulls</b> are indexed and sort before every other value; in a unique
 * index, an entry whose values contain a null is <em>not</em> constrained (as in SQL, many records
 * may have a null email). Other types fail the write with {@link InvalidArgumentException}.
 *
 * <p><b>Numeric field types.</b> Integers, floats and doubles are different tuple types (every
 * integer sorts before every double), so each field of a {@link Spec#field} index has a numeric
 * kind: the type given to {@link Spec#field(String, Class, Function)}, or else the type of the
 * model's property of the same name (record component, getter or field). Indexed values and query
 * values ({@code eq}, ranges, counts) are converted to it when the conversion is exact
 * ({@code gt(1)} on a {@code double} field queries {@code 1.0}; {@code eq(30.0)} on an {@code int}
 * field queries {@code 30}) and refused with {@link InvalidArgumentException} otherwise
 * ({@code gt(1.5)} on an integer field). Fields of {@link Spec#values} indexes, and fields whose
 * type is unknown or not numeric, are not converted: query them with values of the stored type.
 *
 * <p>Immutable and thread-safe if the extractor functions are.
 *
 * @param <T> the model type
 */
public final class Index<T> {

  private final String name;
  private final List<String> fields;
  /** Per field: the numeric kind its values are stored as, or null (not numeric or unknown). */
  private final List<NumericKind> kinds;
  private final Function<T, ? extends Collection<Tuple>> extractor;
  private final Predicate<T> condition;
  private final boolean unique;
  private final boolean covering;
  private final boolean multiValued;

  private Index(String name, Spec<T> spec, Class<T> modelType) {
    this.name = name;
    this.fields = List.copyOf(spec.fields);
    List<NumericKind> k = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      Class<?> declared = i < spec.types.size() ? spec.types.get(i) : null;
      if (declared == null && spec.multi == null && modelType != null) {
        declared = propertyType(modelType, fields.get(i));
      }
      k.add(NumericKind.of(declared));
    }
    this.kinds = java.util.Collections.unmodifiableList(k);
    this.extractor = spec.multi != null ? spec.multi : singleRow(spec.getters);
    this.condition = spec.condition;
    this.unique = spec.unique;
    this.covering = spec.covering;
    this.multiValued = spec.multi != null;
  }

  static <T> Index<T> of(String name, Spec<T> spec, Class<T> modelType) {
    if (spec.fields.isEmpty()) {
      throw new InvalidArgumentException("index has no fields", Map.of("index", name));
    }
    if (spec.multi != null && !spec.getters.isEmpty()) {
      throw new InvalidArgumentException("index mixes field() and values()", Map.of("index", name));
    }
    if (spec.fields.stream().distinct().count() != spec.fields.size()) {
      throw new InvalidArgumentException("index names a field twice",
          Map.of("index", name, "fields", spec.fields));
    }
    return new Index<>(name, spec, modelType);
  }

  /** The index name, unique within its model. */
  public String name() {
    return name;
  }

  /** The field names, in key order (queries give equality values in this order). */
  public List<String> fields() {
    return fields;
  }

  /** Whether equal values across two records are rejected. */
  public boolean unique() {
    return unique;
  }

  /** Whether entries carry the record so queries need no point read. */
  public boolean covering() {
    return covering;
  }

  /**
   * This definition as the store records it beside the index's state, to catch two processes that
   * declare one index name differently: the field names in key order with their numeric kinds,
   * and whether the index is unique, covering, conditional ({@link Spec#where}) or multi-valued
   * ({@link Spec#values}). Functions cannot be compared: a changed getter or predicate that leaves
   * all of these alone is not detected.
   */
  public String definition() {
    StringBuilder b = new StringBuilder("fields=");
    for (int i = 0; i < fields.size(); i++) {
      b.append(i == 0 ? "" : ",").append(fields.get(i));
      if (kinds.get(i) != null) {
        b.append(':').append(kinds.get(i).name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return b.append(" unique=").append(unique).append(" covering=").append(covering)
        .append(" conditional=").append(condition != null).append(" multiValued=").append(multiValued)
        .toString();
  }

  /**
   * The value tuples {@code value} is indexed under (none if the condition rejects it).
   *
   * @throws InvalidArgumentException if a value is not a tuple element or a tuple has the wrong
   *     number of elements
   */
  public List<Tuple> valuesOf(T value) {
    if (condition != null && !condition.test(value)) {
      return List.of();
    }
    Collection<Tuple> rows = extractor.apply(value);
    if (rows == null) {
      return List.of();
    }
    if (!multiValued) {
      // One row of the right size by construction (singleRow): nothing to check or deduplicate,
      // and copying the immutable list returns it.
      return List.copyOf(rows);
    }
    Set<Tuple> out = new LinkedHashSet<>();
    for (Tuple t : rows) {
      if (t == null || t.size() != fields.size()) {
        throw new InvalidArgumentException("index values do not match the index fields",
            Map.of("index", name, "fields", fields, "values", String.valueOf(t)));
      }
      out.add(t);
    }
    return List.copyOf(out);
  }

  private Function<T, Collection<Tuple>> singleRow(List<Function<T, ?>> getters) {
    return value -> {
      Object[] row = new Object[getters.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = convert(i, element(getters.get(i).apply(value)), "indexed value");
      }
      return List.of(Tuple.of(row));
    };
  }

  /**
   * A value for field {@code position} in the numeric kind the field is stored as: integers and
   * floating-point numbers are converted when the conversion is exact ({@code 1} for a double
   * field becomes {@code 1.0}; {@code 2.0} for an integer field becomes {@code 2}), other values
   * are returned as they are.
   *
   * @throws InvalidArgumentException if a number has no exact equivalent of the field's kind
   *     ({@code 1.5} for an integer field, {@code 2^53 + 1} for a double field)
   */
  public Object toFieldType(int position, Object value) {
    return convert(position, element(value), "query value");
  }

  private Object convert(int position, Object value, String what) {
    NumericKind kind = position < kinds.size() ? kinds.get(position) : null;
    if (kind == null || !(value instanceof Number n)) {
      return value;
    }
    Object out = kind.exactly(n);
    if (out == null) {
      Map<String, Object> ctx = new java.util.LinkedHashMap<>();
      ctx.put("index", name);
      ctx.put("field", fields.get(position));
      ctx.put("fieldType", kind.name().toLowerCase(java.util.Locale.ROOT));
      ctx.put("value", String.valueOf(value));
      ctx.put("valueType", value.getClass().getSimpleName());
      throw new InvalidArgumentException(what + " has no exact equivalent of the index field's "
          + "numeric type", ctx);
    }
    return out;
  }

  /** The declared type of property {@code name} of {@code type}, or null if it has none. */
  static Class<?> propertyType(Class<?> type, String name) {
    if (type.isRecord()) {
      for (java.lang.reflect.RecordComponent rc : type.getRecordComponents()) {
        if (rc.getName().equals(name)) {
          return rc.getType();
        }
      }
      return null;
    }
    String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (String method : List.of("get" + cap, "is" + cap)) {
      try {
        java.lang.reflect.Method m = type.getMethod(method);
        if (m.getReturnType() != void.class) {
          return m.getReturnType();
        }
      } catch (NoSuchMethodException e) {
        // try the next accessor name
      }
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name).getType();
      } catch (NoSuchFieldException e) {
        // try the superclass
      }
    }
    return null;
  }

  /** How a numeric index field's values are stored. */
  private enum NumericKind {
    INTEGER, FLOAT, DOUBLE;

    static NumericKind of(Class<?> c) {
      if (c == null) {
        return null;
      }
      if (c == int.class || c == long.class || c == short.class || c == byte.class
          || c == Integer.class || c == Long.class || c == Short.class || c == Byte.class
          || c == java.math.BigInteger.class) {
        return INTEGER;
      }
      if (c == float.class || c == Float.class) {
        return FLOAT;
      }
      if (c == double.class || c == Double.class) {
        return DOUBLE;
      }
      return null;
    }

    /** {@code n} as this kind if exactly representable, else null. */
    Object exactly(Number n) {
      boolean integral = n instanceof Integer || n instanceof Long || n instanceof Short
          || n instanceof Byte;
      return switch (this) {
        case INTEGER -> {
          if (integral || n instanceof java.math.BigInteger) {
            yield n;
          }
          double d = n.doubleValue();
          boolean whole = !Double.isInfinite(d) && d == Math.rint(d)
              && d >= -0x1p63 && d < 0x1p63;
          yield whole ? (Object) (long) d : null;
        }
        case DOUBLE -> {
          if (n instanceof Double || n instanceof Float) {
            yield n.doubleValue();
          }
          if (integral) {
            long v = n.longValue();
            double d = (double) v;
            yield d >= -0x1p63 && d < 0x1p63 && (long) d == v ? (Object) d : null;
          }
          yield null;
        }
        case FLOAT -> {
          if (n instanceof Float) {
            yield n;
          }
          if (n instanceof Double) {
            double d = n.doubleValue();
            yield Double.isNaN(d) || (double) (float) d == d ? (Object) (float) d : null;
          }
          if (integral) {
            long v = n.longValue();
            float f = (float) v;
            yield f >= -0x1p63f && f < 0x1p63f && (long) f == v ? (Object) f : null;
          }
          yield null;
        }
      };
    }
  }

  /** A field value as a tuple element: enums by name, the rest as the tuple layer accepts. */
  static Object element(Object v) {
    return v instanceof Enum<?> e ? e.name() : v;
  }

  /**
   * Declares an index: fields or a values function, and options. Used only inside
   * {@link Model.Builder#index}; not thread-safe.
   *
   * @param <T> the model type
   */
  public static final class Spec<T> {
    private final List<String> fields = new ArrayList<>();
    private final List<Function<T, ?>> getters = new ArrayList<>();
    private final List<Class<?>> types = new ArrayList<>();
    private Function<T, ? extends Collection<Tuple>> multi;
    private Predicate<T> condition;
    private boolean unique;
    private boolean covering;

    Spec() {}

    /** Adds the next key field, named {@code name}, read by {@code getter} (e.g. User::email). */
    public Spec<T> field(String name, Function<T, ?> getter) {
      if (name == null || name.isBlank() || getter == null) {
        throw new InvalidArgumentException("index field needs a name and a getter", Map.of());
      }
      fields.add(name);
      getters.add(getter);
      types.add(null);
      return this;
    }

    /**
     * Like {@link #field(String, Function)}, with the field's type declared: numbers are stored
     * and queried as this type (see {@link Index}). Needed when the getter's type differs from
     * the model's property of that name, or no property has that name.
     */
    public Spec<T> field(String name, Class<?> type, Function<T, ?> getter) {
      if (type == null) {
        throw new InvalidArgumentException("index field type must not be null",
            Map.of("field", String.valueOf(name)));
      }
      field(name, getter);
      types.set(types.size() - 1, type);
      return this;
    }

    /**
     * Multi-valued / custom: {@code fn} yields zero or more tuples of {@code names.size()}
     * elements per record; each distinct tuple is one entry. Cannot be combined with
     * {@link #field} in one index.
     */
    public Spec<T> values(List<String> names, Function<T, ? extends Collection<Tuple>> fn) {
      if (names == null || fn == null) {
        throw new InvalidArgumentException("index values need names and a function", Map.of());
      }
      fields.addAll(names);
      multi = fn;
      return this;
    }

    /** Conditional: only records passing {@code predicate} are indexed. Default: all. */
    public Spec<T> where(Predicate<T> predicate) {
      this.condition = predicate;
      return this;
    }

    /** Unique: two records may not share the values (unless one is null). Default: not unique. */
    public Spec<T> unique() {
      this.unique = true;
      return this;
    }

    /** Covering: entries hold the record bytes. Default: entries hold only the id. */
    public Spec<T> covering() {
      this.covering = true;
      return this;
    }
  }
}
