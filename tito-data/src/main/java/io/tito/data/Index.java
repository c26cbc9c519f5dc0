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
 * <p>Query values must have the type of the indexed values: integers and doubles are different
 * tuple types (every integer sorts before every double), so query a {@code double} field with
 * {@code gt(1.0)}, not {@code gt(1)}.
 *
 * <p>Immutable and thread-safe if the extractor functions are.
 *
 * @param <T> the model type
 */
public final class Index<T> {

  private final String name;
  private final List<String> fields;
  private final Function<T, ? extends Collection<Tuple>> extractor;
  private final Predicate<T> condition;
  private final boolean unique;
  private final boolean covering;

  private Index(String name, Spec<T> spec) {
    this.name = name;
    this.fields = List.copyOf(spec.fields);
    this.extractor = spec.multi != null ? spec.multi : singleRow(spec.getters);
    this.condition = spec.condition;
    this.unique = spec.unique;
    this.covering = spec.covering;
  }

  static <T> Index<T> of(String name, Spec<T> spec) {
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
    return new Index<>(name, spec);
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

  private static <T> Function<T, Collection<Tuple>> singleRow(List<Function<T, ?>> getters) {
    return value -> {
      Object[] row = new Object[getters.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = element(getters.get(i).apply(value));
      }
      return List.of(Tuple.of(row));
    };
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
