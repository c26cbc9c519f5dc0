package io.tito.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The definition of one named relationship of a {@link Model}: fields holding ids of records of
 * another model (the target table), and how to put the loaded records into the value. Declared with
 * {@link Model.Builder#hasOne}, {@link Model.Builder#hasMany} or {@link Model.Builder#hasOneEach};
 * hydrated on request ({@link Query#hydrate}, {@link ModelStore#hydrate}), never automatically.
 *
 * <p>Immutable and thread-safe if the functions are.
 *
 * @param <T> the model type holding the ids
 */
public final class Relationship<T> {

  private final String name;
  private final String target;
  private final Function<T, List<Object>> ids;
  private final BiFunction<T, Function<Object, Object>, T> attach;

  private Relationship(String name, String target, Function<T, List<Object>> ids,
      BiFunction<T, Function<Object, Object>, T> attach) {
    this.name = name;
    this.target = target;
    this.ids = ids;
    this.attach = attach;
  }

  @SuppressWarnings("unchecked")
  static <T, R> Relationship<T> one(String name, String target, Function<T, ?> id,
      BiFunction<T, R, T> setter) {
    return new Relationship<>(name, target, v -> {
      Object i = id.apply(v);
      return i == null ? List.of() : List.of(i);
    }, (v, lookup) -> {
      Object i = id.apply(v);
      Object r = i == null ? null : lookup.apply(i);
      return r == null ? v : setter.apply(v, (R) r);
    });
  }

  @SuppressWarnings("unchecked")
  static <T, R> Relationship<T> many(String name, String target,
      Function<T, ? extends Collection<?>> idList, BiFunction<T, List<R>, T> setter) {
    return new Relationship<>(name, target, v -> {
      Collection<?> c = idList.apply(v);
      return c == null ? List.of() : c.stream().map(o -> (Object) o).toList();
    }, (v, lookup) -> {
      Collection<?> c = idList.apply(v);
      List<R> out = new ArrayList<>();
      if (c != null) {
        for (Object i : c) {
          Object r = i == null ? null : lookup.apply(i);
          if (r != null) {
            out.add((R) r);
          }
        }
      }
      return setter.apply(v, out);
    });
  }

  @SuppressWarnings("unchecked")
  static <T, E, R> Relationship<T> oneEach(String name, String target,
      Function<T, ? extends List<E>> elements, Function<E, ?> id, BiFunction<E, R, E> elementSetter,
      BiFunction<T, List<E>, T> setter) {
    return new Relationship<>(name, target, v -> {
      List<E> es = elements.apply(v);
      List<Object> out = new ArrayList<>();
      if (es != null) {
        for (E e : es) {
          Object i = e == null ? null : id.apply(e);
          if (i != null) {
            out.add(i);
          }
        }
      }
      return out;
    }, (v, lookup) -> {
      List<E> es = elements.apply(v);
      if (es == null) {
        return v;
      }
      List<E> out = new ArrayList<>(es.size());
      for (E e : es) {
        Object i = e == null ? null : id.apply(e);
        Object r = i == null ? null : lookup.apply(i);
        out.add(r == null ? e : elementSetter.apply(e, (R) r));
      }
      return setter.apply(v, out);
    });
  }

  /** The relationship name, unique within its model. */
  public String name() {
    return name;
  }

  /** The table of the referenced model. */
  public String target() {
    return target;
  }

  /** Every id {@code value} references through this relationship, nulls left out. */
  public List<Object> referencedIds(T value) {
    return ids.apply(value);
  }

  /**
   * {@code value} with the referenced records put in; {@code lookup} gives the loaded record
   * value for an id, or null if it is missing (then a single reference is left unset and a
   * collection element is omitted).
   */
  public T attach(T value, Function<Object, Object> lookup) {
    return attach.apply(value, lookup);
  }
}
