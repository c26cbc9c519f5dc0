package io.tito.internal.data;

import io.tito.InvalidArgumentException;
import io.tito.NotFoundException;
import io.tito.Transaction;
import io.tito.data.MissingPolicy;
import io.tito.data.Relationship;
import io.tito.data.Versioned;
import io.tito.tuple.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Hydrates named relationships, in batches: per relationship and level, the distinct referenced
 * ids of every record are loaded once, then nested paths ({@code "tags.creator"}) hydrate the
 * loaded records before they are attached. Stateless and thread-safe.
 */
public final class Hydrator {

  private final Function<String, Records<?>> tables;

  public Hydrator(Function<String, Records<?>> tables) {
    this.tables = tables;
  }

  /**
   * Hydrates {@code paths} (dot-separated relationship names) into {@code items}.
   *
   * @throws InvalidArgumentException for an unknown relationship name
   * @throws NotFoundException for a missing referenced record under {@link MissingPolicy#FAIL}
   */
  public <T> List<Versioned<T>> hydrate(Transaction tx, Records<T> records,
      List<Versioned<T>> items, List<String> paths, MissingPolicy missing) {
    requireKnownPaths(records, paths);
    if (paths.isEmpty() || items.isEmpty()) {
      return items;
    }
    Map<String, List<String>> tree = new LinkedHashMap<>();
    for (String path : paths) {
      int dot = path.indexOf('.');
      String head = dot < 0 ? path : path.substring(0, dot);
      List<String> rest = tree.computeIfAbsent(head, k -> new ArrayList<>());
      if (dot >= 0) {
        rest.add(path.substring(dot + 1));
      }
    }
    List<Versioned<T>> out = items;
    for (Map.Entry<String, List<String>> e : tree.entrySet()) {
      Relationship<T> rel = records.model().relationship(e.getKey()).orElseThrow(() ->
          new InvalidArgumentException("unknown relationship",
              Map.of("table", records.model().table(), "relationship", e.getKey())));
      out = hydrateOne(tx, rel, tables.apply(rel.target()), out, e.getValue(), missing);
    }
    return out;
  }

  /**
   * Checks that every dotted path names relationships, level by level, whatever the data.
   *
   * @throws InvalidArgumentException for a null or blank path or an unknown relationship
   */
  public void requireKnownPaths(Records<?> records, List<String> paths) {
    if (paths == null) {
      throw new InvalidArgumentException("relationship paths must not be null",
          Map.of("table", records.model().table()));
    }
    for (String path : paths) {
      if (path == null || path.isBlank()) {
        throw new InvalidArgumentException("relationship path must not be blank",
            Map.of("table", records.model().table(), "path", String.valueOf(path)));
      }
      Records<?> level = records;
      for (String name : path.split("\\.", -1)) {
        Relationship<?> rel = level.model().relationship(name).orElse(null);
        if (rel == null) {
          throw new InvalidArgumentException("unknown relationship",
              Map.of("table", level.model().table(), "relationship", name, "path", path));
        }
        level = tables.apply(rel.target());
      }
    }
  }

  private <T, R> List<Versioned<T>> hydrateOne(Transaction tx, Relationship<T> rel,
      Records<R> target, List<Versioned<T>> items, List<String> subPaths, MissingPolicy missing) {
    Map<Tuple, Object> ids = new LinkedHashMap<>();
    for (Versioned<T> v : items) {
      for (Object id : rel.referencedIds(v.value())) {
        Object n = target.model().normalizeId(id);
        ids.putIfAbsent(Tuple.of(n), n);
      }
    }
    List<Versioned<R>> loaded = new ArrayList<>(ids.size());
    for (Object id : ids.values()) {
      StoredRecord s = target.load(tx, id);
      if (s == null || s.deleted()) {
        if (missing == MissingPolicy.FAIL) {
          throw new NotFoundException("referenced record does not exist",
              Map.of("relationship", rel.name(), "table", rel.target(), "id", id));
        }
        continue;
      }
      loaded.add(target.toVersioned(id, s));
    }
    if (!subPaths.isEmpty()) {
      loaded = hydrate(tx, target, loaded, subPaths, missing);
    }
    Map<Tuple, Object> byId = new HashMap<>();
    for (Versioned<R> v : loaded) {
      byId.put(Tuple.of(v.id()), v.value());
    }
    Function<Object, Object> lookup = id -> byId.get(Tuple.of(target.model().normalizeId(id)));
    List<Versioned<T>> out = new ArrayList<>(items.size());
    for (Versioned<T> v : items) {
      out.add(v.withValue(rel.attach(v.value(), lookup)));
    }
    return out;
  }
}
