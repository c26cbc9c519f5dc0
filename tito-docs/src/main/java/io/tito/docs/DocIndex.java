package io.tito.docs;

import io.tito.InvalidArgumentException;
import io.tito.internal.docs.JsonPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A declared index of a collection on one or more document paths, kept in step with the
 * documents in the writing transaction (tito-data's index machinery) and built online for the
 * documents that exist when it is first declared.
 *
 * <p>A path ending in {@code []} ({@code "tags[]"}) indexes each element of the array there (a
 * document gets one entry per distinct element, none for an empty or absent array); such an
 * index answers {@link Filter#contains}. Other paths index the value at the path, normalized as
 * documented in {@link Filter} (missing, null, objects and arrays are indexed as null).
 * Composite indexes combine their fields in the given order (one entry per combination of array
 * elements). A unique index refuses a second document with the same values
 * ({@code AlreadyExistsException}), except when one of the values is null.
 *
 * @param name the index name, unique in its collection
 * @param paths the indexed paths, in key order
 * @param unique whether the values are unique
 */
public record DocIndex(String name, List<String> paths, boolean unique) {

  /** Validates name and paths. */
  public DocIndex {
    if (name == null || name.isBlank()) {
      throw new InvalidArgumentException("an index needs a name", Map.of());
    }
    if (paths == null || paths.isEmpty()) {
      throw new InvalidArgumentException("an index needs at least one path",
          Map.of("index", name));
    }
    paths = List.copyOf(paths);
    List<String> seen = new ArrayList<>();
    for (String p : paths) {
      String plain = strip(p);
      JsonPaths.segments(plain);
      if (seen.contains(plain)) {
        throw new InvalidArgumentException("an index names a path twice",
            Map.of("index", name, "path", plain));
      }
      seen.add(plain);
    }
  }

  /** A non-unique index on {@code paths} (in key order). */
  public static DocIndex of(String name, String... paths) {
    return new DocIndex(name, List.of(paths), false);
  }

  /** A unique index on {@code paths} (in key order). */
  public static DocIndex unique(String name, String... paths) {
    return new DocIndex(name, List.of(paths), true);
  }

  /** The path of field {@code i} without a trailing {@code []}. */
  public String path(int i) {
    return strip(paths.get(i));
  }

  /** Whether field {@code i} indexes array elements. */
  public boolean isArray(int i) {
    return paths.get(i).endsWith("[]");
  }

  /** Whether any field indexes array elements. */
  public boolean hasArrayField() {
    for (int i = 0; i < paths.size(); i++) {
      if (isArray(i)) {
        return true;
      }
    }
    return false;
  }

  private static String strip(String p) {
    if (p == null) {
      throw new InvalidArgumentException("an index path must not be null", Map.of());
    }
    return p.endsWith("[]") ? p.substring(0, p.length() - 2) : p;
  }
}
