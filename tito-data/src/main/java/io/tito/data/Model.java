package io.tito.data;

import io.tito.InvalidArgumentException;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The definition of a model: a Java type (record or ordinary class) stored in a table, with its
 * id, codec, indexes, relationships and options. Bind it to a store with
 * {@link DataStore.Builder#model} and use it through {@link ModelStore}.
 *
 * <pre>{@code
 * Model<User> users = Model.builder(User.class, "users")
 *     .id(User::id)
 *     .index("by_email", ix -> ix.field("email", User::email).unique())
 *     .index("by_country_age", ix -> ix.field("country", User::country).field("age", User::age))
 *     .timestamps(true)
 *     .build();
 * }</pre>
 *
 * <p>Ids are tuple elements (String, Long/Integer, UUID, byte[], Instant, ...; a null id is
 * rejected), so they sort by value. Immutable and thread-safe.
 *
 * @param <T> the model type
 */
public final class Model<T> {

  private final Class<T> type;
  private final String table;
  private final Function<T, ?> id;
  private final Codec<T> codec;
  private final Map<String, Index<T>> indexes;
  private final Map<String, Relationship<T>> relationships;
  private final boolean timestamps;

  private Model(Builder<T> b) {
    this.type = b.type;
    this.table = b.table;
    this.id = b.id;
    this.codec = b.codec != null ? b.codec : JsonCodec.of(b.type);
    this.indexes = b.indexes;
    this.relationships = b.relationships;
    this.timestamps = b.timestamps;
  }

  /**
   * A builder for a model of {@code type} stored in {@code table}.
   *
   * @throws InvalidArgumentException if the type is null or the table name is blank
   */
  public static <T> Builder<T> builder(Class<T> type, String table) {
    if (type == null || table == null || table.isBlank()) {
      throw new InvalidArgumentException("model needs a type and a table name",
          Map.of("table", String.valueOf(table)));
    }
    return new Builder<>(type, table);
  }

  /** The Java type. */
  public Class<T> type() {
    return type;
  }

  /** The table name, unique within a {@link DataStore}. */
  public String table() {
    return table;
  }

  /** The codec (default: {@link JsonCodec}). */
  public Codec<T> codec() {
    return codec;
  }

  /** Whether created/updated timestamps are kept (default: false). */
  public boolean timestamps() {
    return timestamps;
  }

  /** The indexes, in declaration order. */
  public List<Index<T>> indexes() {
    return List.copyOf(indexes.values());
  }

  /** The index named {@code name}, if declared. */
  public Optional<Index<T>> index(String name) {
    return Optional.ofNullable(indexes.get(name));
  }

  /** The relationships, in declaration order. */
  public List<Relationship<T>> relationships() {
    return List.copyOf(relationships.values());
  }

  /** The relationship named {@code name}, if declared. */
  public Optional<Relationship<T>> relationship(String name) {
    return Optional.ofNullable(relationships.get(name));
  }

  /**
   * The id of {@code value}, normalised as a tuple element.
   *
   * @throws InvalidArgumentException if the value is null, or its id is null or not a tuple
   *     element
   */
  public Object idOf(T value) {
    if (value == null) {
      throw new InvalidArgumentException("record must not be null", Map.of("table", table));
    }
    return normalizeId(id.apply(value));
  }

  /** {@code id} as stored (e.g. an Integer becomes a Long). Same errors as {@link #idOf}. */
  public Object normalizeId(Object rawId) {
    if (rawId == null) {
      throw new InvalidArgumentException("record id must not be null", Map.of("table", table));
    }
    return Tuple.of(Index.element(rawId)).get(0);
  }

  @Override
  public String toString() {
    return "Model(" + table + ", " + type.getSimpleName() + ")";
  }

  /**
   * Collects a model definition; {@link #build()} validates it. Not thread-safe.
   *
   * @param <T> the model type
   */
  public static final class Builder<T> {
    private final Class<T> type;
    private final String table;
    private Function<T, ?> id;
    private Codec<T> codec;
    private final Map<String, Index<T>> indexes = new LinkedHashMap<>();
    private final Map<String, Relationship<T>> relationships = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private boolean timestamps;

    private Builder(Class<T> type, String table) {
      this.type = type;
      this.table = table;
    }

    /** How to read a value's id. Required. */
    public Builder<T> id(Function<T, ?> extractor) {
      this.id = extractor;
      return this;
    }

    /** The codec. Default: {@link JsonCodec#of(Class)} of the model type. */
    public Builder<T> codec(Codec<T> value) {
      this.codec = value;
      return this;
    }

    /** Whether to keep created/updated timestamps from the store's clock. Default: false. */
    public Builder<T> timestamps(boolean value) {
      this.timestamps = value;
      return this;
    }

    /**
     * Declares an index: {@code spec} receives an empty {@link Index.Spec} and returns it with
     * fields and options, e.g. {@code ix -> ix.field("email", User::email).unique()}.
     */
    public Builder<T> index(String name, UnaryOperator<Index.Spec<T>> spec) {
      if (!checkName("index", name, indexes.keySet()) || spec == null) {
        return this;
      }
      try {
        indexes.put(name, Index.of(name, spec.apply(new Index.Spec<>()), type));
      } catch (InvalidArgumentException e) {
        errors.add(e.getMessage());
      }
      return this;
    }

    /**
     * A field holding one id of a {@code target} record; hydration calls {@code setter} with the
     * loaded record, e.g. {@code hasOne("author", "users", Post::authorId, Post::withAuthor)}.
     */
    public <R> Builder<T> hasOne(String name, String target, Function<T, ?> id,
        BiFunction<T, R, T> setter) {
      if (checkRelationship(name, target, id, setter)) {
        relationships.put(name, Relationship.one(name, target, id, setter));
      }
      return this;
    }

    /**
     * A field holding a collection of ids of {@code target} records; hydration calls
     * {@code setter} with the loaded records in id order (missing ones left out).
     */
    public <R> Builder<T> hasMany(String name, String target,
        Function<T, ? extends Collection<?>> ids, BiFunction<T, List<R>, T> setter) {
      if (checkRelationship(name, target, ids, setter)) {
        relationships.put(name, Relationship.many(name, target, ids, setter));
      }
      return this;
    }

    /**
     * A nested path: a list of elements each holding one id of a {@code target} record (e.g. the
     * items of an order, each with a product id). Hydration sets each element's record with
     * {@code elementSetter} and the new list with {@code setter}.
     */
    public <E, R> Builder<T> hasOneEach(String name, String target,
        Function<T, ? extends List<E>> elements, Function<E, ?> id,
        BiFunction<E, R, E> elementSetter, BiFunction<T, List<E>, T> setter) {
      if (checkRelationship(name, target, elements, setter)
          && id != null && elementSetter != null) {
        relationships.put(name,
            Relationship.oneEach(name, target, elements, id, elementSetter, setter));
      } else if (id == null || elementSetter == null) {
        errors.add("relationship needs an element id and setter {relationship=" + name + "}");
      }
      return this;
    }

    /**
     * Validates and builds the model. Relationship targets are checked by
     * {@link DataStore.Builder#build()}, which knows every table.
     *
     * @throws InvalidArgumentException naming every problem: no id extractor, duplicate or blank
     *     index/relationship names, indexes without fields
     */
    public Model<T> build() {
      if (id == null) {
        errors.add("model needs an id extractor {table=" + table + "}");
      }
      if (!errors.isEmpty()) {
        throw new InvalidArgumentException("invalid model definition",
            Map.of("table", table, "errors", List.copyOf(errors)));
      }
      return new Model<>(this);
    }

    private boolean checkRelationship(String name, String target, Object ids, Object setter) {
      if (!checkName("relationship", name, relationships.keySet())) {
        return false;
      }
      if (target == null || target.isBlank() || ids == null || setter == null) {
        errors.add("relationship needs a target table, ids and a setter {relationship="
            + name + "}");
        return false;
      }
      return true;
    }

    private boolean checkName(String what, String name, Collection<String> taken) {
      if (name == null || name.isBlank()) {
        errors.add(what + " name must not be blank");
        return false;
      }
      if (name.contains(".")) {
        errors.add(what + " name must not contain '.' {" + what + "=" + name + "}");
        return false;
      }
      if (taken.contains(name)) {
        errors.add("duplicate " + what + " name {" + what + "=" + name + "}");
        return false;
      }
      return true;
    }
  }
}
