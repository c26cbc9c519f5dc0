package io.tito.admin;

import java.util.Map;

/**
 * The readiness of a store and its watched workers, as the admin server reports it. Immutable.
 *
 * @param ready whether every check passed
 * @param checks check name ({@code engine}, {@code workers}, {@code leases}) to "UP", or to what
 *     is wrong
 */
public record Health(boolean ready, Map<String, String> checks) {

  /** Copies {@code checks}. */
  public Health {
    checks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(checks));
  }
}
