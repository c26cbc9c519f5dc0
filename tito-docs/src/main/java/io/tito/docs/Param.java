package io.tito.docs;

import io.tito.InvalidArgumentException;
import java.util.Map;

/**
 * A named placeholder for a value in a {@link Filter} of a {@link CompiledQuery}: the plan is
 * built once from the query's shape, and the value is given on each run.
 *
 * @param name the name given to {@link CompiledQuery#run(Map)}; not blank
 */
public record Param(String name) {

  /** Validates the name. */
  public Param {
    if (name == null || name.isBlank()) {
      throw new InvalidArgumentException("a parameter needs a name", Map.of());
    }
  }

  /** A parameter named {@code name}. */
  public static Param of(String name) {
    return new Param(name);
  }
}
